package dev.skillhost.host.cluster;

import dev.skillhost.host.store.TaskCodec;
import dev.skillhost.host.store.TaskEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * What a node tells the others about one stored event, on {@link NotifyHook#CHANNEL}: which node
 * wrote it, whose task it is, its seq, and the event itself when the whole payload fits in a
 * NOTIFY (PostgreSQL refuses payloads of 8,000 bytes or more); without it, readers take the
 * event from the store.
 *
 * @param event the stored event, or null when it was too big to carry
 */
record EventNotice(String node, String owner, String task, long seq, TaskEvent event) {

  /** Below PostgreSQL's 8,000-byte limit, with room to spare. */
  static final int MAX_PAYLOAD = 7_900;

  static String encode(String node, String owner, TaskEvent e) {
    String head = new JsonObject().put("node", node).put("owner", owner).put("task", e.task()).put("seq", e.seq())
        .encode();
    // the stored body spliced in as it is: no second JSON tree for every event of every task
    String whole = head.substring(0, head.length() - 1) + ",\"event\":" + TaskCodec.encodeEvent(e) + "}";
    return fits(whole) ? whole : head;
  }

  private static boolean fits(String s) {
    return s.length() * 3 < MAX_PAYLOAD || s.getBytes(StandardCharsets.UTF_8).length < MAX_PAYLOAD;
  }

  /** Reads a payload; fails (IllegalArgumentException) on one no node of ours wrote. */
  static EventNotice parse(String payload) {
    try {
      JsonObject j = new JsonObject(payload);
      String task = j.getString("task");
      JsonObject event = j.getJsonObject("event");
      EventNotice n = new EventNotice(j.getString("node"), j.getString("owner"), task, j.getLong("seq"),
          event == null ? null : TaskCodec.decodeEvent(task, event));
      if (n.node == null || n.owner == null || task == null || n.seq < 1) {
        throw new IllegalArgumentException("missing fields");
      }
      return n;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not an event notice: " + e.getMessage(), e);
    }
  }
}
