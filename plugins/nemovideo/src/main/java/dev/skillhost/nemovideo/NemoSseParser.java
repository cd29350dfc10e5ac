package dev.skillhost.nemovideo;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A tolerant reader of the agent's stream. No official source pins the format down, so both
 * layouts the notes describe are read: the v4.4 doc's {@code {"type":"text","content":…}} /
 * {@code tool_call} / {@code tool_result} / {@code heartbeat}, and a stock ADK Event with
 * {@code content.parts[].text | functionCall | functionResponse}. Comments, empty data and
 * heartbeats are keep-alives; ADK {@code partial} chunks are skipped because the aggregated event
 * that follows them carries the whole text; data that is not JSON is taken as plain text.
 */
final class NemoSseParser {

  /** What one SSE event meant. */
  enum Kind { TEXT, TOOL, KEEP_ALIVE }

  record Event(Kind kind, String text) {}

  private final Consumer<Event> sink;
  private final StringBuilder line = new StringBuilder();
  private final StringBuilder data = new StringBuilder();
  private byte[] pending = new byte[0];
  private boolean hasData;

  NemoSseParser(Consumer<Event> sink) {
    this.sink = sink;
  }

  /** Feeds bytes as they arrive; a UTF-8 sequence split across chunks is kept for the next one. */
  void feed(Buffer chunk) {
    byte[] bytes = concat(pending, chunk.getBytes());
    int end = completeUtf8(bytes);
    pending = java.util.Arrays.copyOfRange(bytes, end, bytes.length);
    String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line(stripCr(line.toString()));
        line.setLength(0);
      } else {
        line.append(c);
      }
    }
  }

  /** The stream ended: an event not followed by a blank line still counts. */
  void end() {
    if (line.length() > 0) {
      line(stripCr(line.toString()));
      line.setLength(0);
    }
    dispatch();
  }

  private void line(String l) {
    if (l.isEmpty()) {
      dispatch();
    } else if (l.startsWith(":")) {
      sink.accept(new Event(Kind.KEEP_ALIVE, null));
    } else if (l.startsWith("data")) {
      String value = l.length() > 5 && l.charAt(4) == ':' ? l.substring(5) : l.startsWith("data:") ? "" : null;
      if (value == null) return;
      if (value.startsWith(" ")) value = value.substring(1);
      if (hasData) data.append('\n');
      data.append(value);
      hasData = true;
    }
    // event:, id:, retry: carry nothing this reader needs
  }

  private void dispatch() {
    if (!hasData) return;
    String payload = data.toString();
    data.setLength(0);
    hasData = false;
    if (payload.isBlank()) {
      sink.accept(new Event(Kind.KEEP_ALIVE, null));
      return;
    }
    JsonObject json;
    try {
      json = new JsonObject(payload);
    } catch (RuntimeException e) {
      sink.accept(new Event(Kind.TEXT, payload));
      return;
    }
    read(json);
  }

  private void read(JsonObject json) {
    String type = json.getString("type");
    if (type != null) {
      switch (type) {
        case "heartbeat", "ping" -> sink.accept(new Event(Kind.KEEP_ALIVE, null));
        case "text", "message", "chunk" -> {
          Object content = json.getValue("content", json.getValue("text"));
          String text = content instanceof String s ? s : content instanceof JsonObject o ? parts(o) : null;
          sink.accept(text == null || text.isBlank() ? new Event(Kind.KEEP_ALIVE, null) : new Event(Kind.TEXT, text));
        }
        default -> sink.accept(new Event(Kind.TOOL, json.getString("name", type)));
      }
      return;
    }
    if (Boolean.TRUE.equals(json.getValue("partial"))) {
      sink.accept(new Event(Kind.KEEP_ALIVE, null));
      return;
    }
    Object content = json.getValue("content");
    if (content instanceof String s) {
      sink.accept(new Event(Kind.TEXT, s));
      return;
    }
    if (content instanceof JsonObject o) {
      JsonArray parts = o.getJsonArray("parts", new JsonArray());
      boolean tool = parts.stream().anyMatch(p -> p instanceof JsonObject j
          && (j.containsKey("functionCall") || j.containsKey("functionResponse")));
      String text = parts(o);
      if (text != null && !text.isBlank()) {
        sink.accept(new Event(Kind.TEXT, text));
      } else {
        sink.accept(new Event(tool ? Kind.TOOL : Kind.KEEP_ALIVE, null));
      }
      return;
    }
    sink.accept(new Event(Kind.KEEP_ALIVE, null));
  }

  private static String parts(JsonObject content) {
    StringBuilder sb = new StringBuilder();
    for (Object p : content.getJsonArray("parts", new JsonArray())) {
      if (p instanceof JsonObject part && part.getValue("text") instanceof String t && !Boolean.TRUE.equals(part.getValue("thought"))) {
        sb.append(t);
      }
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  private static String stripCr(String s) {
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    if (a.length == 0) return b;
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Length of the longest prefix that does not end inside a UTF-8 sequence. */
  private static int completeUtf8(byte[] b) {
    int n = b.length;
    for (int back = 1; back <= Math.min(3, n); back++) {
      int c = b[n - back] & 0xFF;
      if ((c & 0xC0) == 0x80) continue; // continuation byte: look further back
      int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      return need > back ? n - back : n;
    }
    return n;
  }
}
