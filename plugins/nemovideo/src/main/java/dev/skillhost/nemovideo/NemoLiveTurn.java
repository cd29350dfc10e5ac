package dev.skillhost.nemovideo;

import dev.skillhost.api.Progress;
import dev.skillhost.api.ProgressSink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * The open answer to one message: the agent's stream, read as it arrives. Not task state (the
 * handle is): only the connection submit() opened, kept so stream() or poll() can take what the
 * agent says. After a restart it is gone and the task goes on from the session state alone.
 *
 * <p>Text replies become progress messages; tool calls and heartbeats are not forwarded. A trailing
 * "I encountered a temporary issue" after normal replies is dropped, as the docs say. Only
 * heartbeats for the idle limit (10 minutes upstream) ends the wait: the stream is cut and the
 * state is polled; the message is never sent again.
 */
final class NemoLiveTurn {

  /** Where the stream is. */
  enum End { OPEN, CLOSED, DROPPED, IDLE }

  private static final String TEMPORARY_ISSUE = "encountered a temporary issue";

  private final Vertx vertx;
  private final long idleMs;
  private final List<String> undelivered = new ArrayList<>();
  private final Promise<Void> ended = Promise.promise();
  private Runnable cut = () -> { };
  private ProgressSink sink;
  private boolean sawText;
  private long idleTimer = -1;
  private volatile End end = End.OPEN;
  private volatile long endedAt;

  NemoLiveTurn(Vertx vertx, long idleMs) {
    this.vertx = vertx;
    this.idleMs = idleMs;
  }

  /** How to cut the connection when only heartbeats arrive for too long. */
  synchronized void onCut(Runnable r) {
    cut = r;
    armIdle();
  }

  synchronized void event(NemoSseParser.Event e) {
    switch (e.kind()) {
      case TEXT -> {
        armIdle();
        String text = e.text().strip();
        if (sawText && text.contains(TEMPORARY_ISSUE)) {
          return;
        }
        sawText = true;
        if (sink != null) {
          sink.accept(Progress.running(-1, text));
        } else {
          undelivered.add(text);
        }
      }
      case TOOL -> armIdle();
      case KEEP_ALIVE -> { }
    }
  }

  synchronized void finish(End how) {
    if (end != End.OPEN) return;
    end = how;
    endedAt = System.currentTimeMillis();
    vertx.cancelTimer(idleTimer);
    ended.tryComplete();
  }

  /** Sends what was said so far, and from now on everything, to {@code s}; completes when the stream ends. */
  synchronized Future<Void> attach(ProgressSink s) {
    for (String text : undelivered) {
      s.accept(Progress.running(-1, text));
    }
    undelivered.clear();
    sink = s;
    return ended.future();
  }

  /** What was said and not yet passed on (when no stream() follows the turn), in order. */
  synchronized List<String> takeUndelivered() {
    List<String> out = List.copyOf(undelivered);
    undelivered.clear();
    return out;
  }

  synchronized void detach() {
    sink = null;
  }

  End end() {
    return end;
  }

  long endedAt() {
    return endedAt;
  }

  private void armIdle() {
    if (end != End.OPEN) return;
    vertx.cancelTimer(idleTimer);
    idleTimer = vertx.setTimer(Math.max(1, idleMs), t -> {
      synchronized (this) {
        if (end == End.OPEN) {
          cut.run();
          finish(End.IDLE);
        }
      }
    });
  }
}
