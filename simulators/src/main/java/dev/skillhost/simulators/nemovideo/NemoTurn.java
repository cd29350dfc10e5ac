package dev.skillhost.simulators.nemovideo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.json.JsonObject;

/**
 * One agent turn: heartbeats, an opening line, the tool call, the first cut landing in the
 * session state, the closing line, the end of the response; then, on its own, the second stage
 * (music and title). A dropped connection does not stop the work, as upstream.
 */
final class NemoTurn {

  private final Vertx vertx;
  private final NemoVideoSimulator.Options options;
  private final NemoSession session;
  private final NemoStreamPlan plan;
  private final NemoSseWriter out;
  private final String text;
  private final HttpConnection connection;

  NemoTurn(Vertx vertx, NemoVideoSimulator.Options options, NemoSession session, NemoStreamPlan plan,
      NemoSseWriter out, String text, HttpConnection connection) {
    this.vertx = vertx;
    this.options = options;
    this.session = session;
    this.plan = plan;
    this.out = out;
    this.text = text;
    this.connection = connection;
  }

  /** Runs the turn; answers whether the agent's work succeeded (else it is refunded). */
  Future<Boolean> run() {
    boolean generate = !session.hasVideo();
    String tool = generate ? "generate_video_with_seedance" : "edit_multitrack";
    String title = title(text);
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < plan.heartbeats(); i++) {
      chain = chain.compose(v -> pause(options.heartbeatMs())).andThen(v -> out.heartbeat());
    }
    return chain
        .andThen(v -> say(generate ? "I'll create that video for you now." : "Sure, working on that edit."))
        .compose(v -> pause(options.heartbeatMs()))
        .andThen(v -> out.toolCall(tool, new JsonObject().put("prompt", text)))
        .compose(v -> pause(options.generateMs() / 2)).andThen(v -> out.heartbeat())
        .compose(v -> pause(options.generateMs() - options.generateMs() / 2))
        .map(v -> {
          if (plan.fail()) {
            out.toolResult(tool, new JsonObject().put("error", "generation failed"));
            say("Sorry, I couldn't finish that.");
            out.end();
            return false;
          }
          if (generate) {
            session.firstCut(title, "https://static1.nemovideo.ai/gen/" + session.id + "_1.mp4");
          } else {
            session.edit(text);
          }
          out.toolResult(tool, new JsonObject().put("status", "ok"));
          if (plan.dropAfterCut()) {
            connection.close();
          } else {
            say(plan.text() != null ? plan.text() : generate ? NemoStreamPlan.GENERATED_TEXT : NemoStreamPlan.EDITED_TEXT);
            if (plan.trailingIssue()) {
              out.text("I encountered a temporary issue. Please try again.");
            }
            out.end();
          }
          if (generate && plan.secondStage()) {
            vertx.setTimer(Math.max(1, options.secondStageMs()), t -> session.postProduction(title));
          }
          return true;
        });
  }

  private void say(String s) {
    if (!plan.silent()) {
      out.text(s);
    }
  }

  private Future<Void> pause(long ms) {
    return vertx.timer(Math.max(1, ms)).mapEmpty();
  }

  private static String title(String prompt) {
    String[] words = prompt.trim().split("\\s+");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(4, words.length); i++) {
      sb.append(i == 0 ? "" : " ").append(words[i]);
    }
    return sb.toString();
  }
}
