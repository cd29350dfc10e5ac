package dev.skillhost.host.mcp;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One server-sent-event stream of a session: the answer stream of one POSTed request, or the
 * session's standalone stream (GET). Each message gets the event id {@code <stream>-<n>} and is
 * kept (the last {@value #KEEP}), so a client whose connection dropped resumes with
 * {@code Last-Event-ID} and misses nothing; a request's answer is always the last thing kept.
 * Confined to the API verticle's event loop, like the session that owns it.
 */
final class SseStream {

  static final int KEEP = 512;

  private record Entry(long n, String data) {}

  final String id;
  private final ArrayDeque<Entry> kept = new ArrayDeque<>();
  private final boolean prime;
  /** Streams with a reader, across all sessions (the subscribers gauge). */
  private final AtomicInteger attached;
  private long next = 1;
  private HttpServerResponse out;
  private boolean finished;

  /**
   * @param prime send an event with an id and no data first (2025-11-25), so even a stream that
   *              drops before its first message can be resumed
   */
  SseStream(String id, boolean prime, AtomicInteger attached) {
    this.id = id;
    this.prime = prime;
    this.attached = attached;
  }

  /** Whether this stream ended with a request's answer. */
  boolean finished() {
    return finished;
  }

  boolean attached() {
    return out != null;
  }

  /** Writes to {@code res} from now on, after every kept message past {@code after}. */
  void attach(HttpServerResponse res, long after) {
    if (res.closed() || res.ended()) {
      return; // the client left already; what is sent stays kept for its resume
    }
    if (out != null && out != res && !out.closed()) {
      out.end(); // one writer at a time: the newest connection wins
    }
    out(res);
    res.setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache, no-transform")
        .putHeader("X-Accel-Buffering", "no");
    res.closeHandler(v -> {
      if (out == res) {
        out(null);
      }
    });
    if (prime && after == 0 && next == 1) {
      res.write("id: " + id + "-0\ndata: \n\n");
    }
    for (Entry e : kept) {
      if (e.n > after) {
        res.write(frame(e));
      }
    }
    if (finished) {
      end();
    }
  }

  /** Sends one JSON-RPC message on the stream. */
  void send(JsonObject message) {
    Entry e = new Entry(next++, message.encode());
    kept.addLast(e);
    if (kept.size() > KEEP) {
      kept.removeFirst();
    }
    if (out == null) {
      return;
    }
    if (out.writeQueueFull()) {
      // a slow reader: drop the connection rather than buffer without bound; it resumes from what is kept
      end();
      return;
    }
    out.write(frame(e));
  }

  /** Sends a request's answer and ends the stream. */
  void finish(JsonObject answer) {
    send(answer);
    finished = true;
    if (out != null) {
      end();
    }
  }

  /** An SSE comment, so idle connections are not cut by proxies. */
  void keepAlive() {
    if (out != null && !out.writeQueueFull()) {
      out.write(": keep-alive\n\n");
    }
  }

  void close() {
    if (out != null) {
      end();
    }
  }

  private void end() {
    HttpServerResponse res = out;
    out(null);
    if (res != null && !res.closed() && !res.ended()) {
      res.end();
    }
  }

  /** Sets the writer, counting streams that gain or lose their reader. */
  private void out(HttpServerResponse next) {
    if ((out == null) != (next == null)) {
      attached.addAndGet(next == null ? -1 : 1);
    }
    out = next;
  }

  private String frame(Entry e) {
    return "id: " + id + "-" + e.n + "\ndata: " + e.data + "\n\n";
  }

  /**
   * The stream an event id names and the message number after which to resume, or null when the
   * id is not one of ours.
   */
  static String[] parse(String lastEventId) {
    if (lastEventId == null) {
      return null;
    }
    int dash = lastEventId.lastIndexOf('-');
    if (dash <= 0 || dash == lastEventId.length() - 1) {
      return null;
    }
    String n = lastEventId.substring(dash + 1);
    return n.chars().allMatch(Character::isDigit) && n.length() < 18
        ? new String[] {lastEventId.substring(0, dash), n} : null;
  }
}
