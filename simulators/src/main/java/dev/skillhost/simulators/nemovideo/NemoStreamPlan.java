package dev.skillhost.simulators.nemovideo;

/**
 * How the simulated agent answers the next message on {@code /run_sse}. The official docs pin
 * none of this down, so tests choose: which of the two stream layouts the notes describe, whether
 * the reply carries text at all (about 30% of edits are silent), whether the connection drops
 * mid-generation, and whether the automatic second stage (music and title) follows.
 *
 * @param layout        the event layout on the wire
 * @param silent        no text events, only tool calls and heartbeats
 * @param dropAfterCut  close the connection abruptly right after the first cut lands in the state
 * @param heartbeats    heartbeats sent before the agent starts working
 * @param secondStage   after the first cut, music and a title are added a little later
 * @param trailingIssue end with the "I encountered a temporary issue" text the docs say to ignore
 * @param fail          the agent's tools fail: the state never changes
 * @param text          what the agent says when it is done (GUI words included on purpose)
 */
public record NemoStreamPlan(Layout layout, boolean silent, boolean dropAfterCut, int heartbeats,
    boolean secondStage, boolean trailingIssue, boolean fail, String text) {

  /** The two stream layouts the protocol notes describe. */
  public enum Layout {
    /** The v4.4 doc: {@code data: {"type":"text","content":…}}, {@code tool_call}, {@code heartbeat}. */
    TYPED,
    /** A stock ADK api_server: each {@code data:} line an Event, text in {@code content.parts[].text}. */
    ADK
  }

  public static final String GENERATED_TEXT =
      "Your video is ready! I'm adding background music and a title now. Click the Export button to download it.";
  public static final String EDITED_TEXT =
      "Done — I added the effect. Open the timeline panel to preview in timeline, then click the Export button.";

  /** The default: typed layout, text replies, two stages, no faults. */
  public static NemoStreamPlan normal() {
    return new NemoStreamPlan(Layout.TYPED, false, false, 2, true, false, false, null);
  }

  public NemoStreamPlan withLayout(Layout l) {
    return new NemoStreamPlan(l, silent, dropAfterCut, heartbeats, secondStage, trailingIssue, fail, text);
  }

  public NemoStreamPlan silently() {
    return new NemoStreamPlan(layout, true, dropAfterCut, heartbeats, secondStage, trailingIssue, fail, text);
  }

  public NemoStreamPlan dropped() {
    return new NemoStreamPlan(layout, silent, true, heartbeats, secondStage, trailingIssue, fail, text);
  }

  public NemoStreamPlan withHeartbeats(int n) {
    return new NemoStreamPlan(layout, silent, dropAfterCut, n, secondStage, trailingIssue, fail, text);
  }

  public NemoStreamPlan oneStage() {
    return new NemoStreamPlan(layout, silent, dropAfterCut, heartbeats, false, trailingIssue, fail, text);
  }

  public NemoStreamPlan withTrailingIssue() {
    return new NemoStreamPlan(layout, silent, dropAfterCut, heartbeats, secondStage, true, fail, text);
  }

  public NemoStreamPlan failing() {
    return new NemoStreamPlan(layout, silent, dropAfterCut, heartbeats, secondStage, trailingIssue, true, text);
  }

  public NemoStreamPlan saying(String t) {
    return new NemoStreamPlan(layout, silent, dropAfterCut, heartbeats, secondStage, trailingIssue, fail, t);
  }
}
