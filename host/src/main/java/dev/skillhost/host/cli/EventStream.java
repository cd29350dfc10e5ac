package dev.skillhost.host.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Follows one task's events over SSE ({@code GET /v1/tasks/{id}/events}) until it ends. A dropped
 * stream is resumed from the last {@code seq} seen (the host replays the stored log after
 * {@code Last-Event-ID}), so a reconnect neither misses nor repeats an event.
 */
final class EventStream {

  static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");
  /** Reconnects in a row that found no host before giving up (about 10 s in all). */
  private static final int MAX_RETRIES = 6;

  private final HostClient client;
  private long since;

  EventStream(HostClient client, long since) {
    this.client = client;
    this.since = since;
  }

  /** Calls {@code onEvent} with each event envelope, in order; returns the final state. */
  String follow(String taskId, Consumer<JsonObject> onEvent) {
    int retries = 0;
    while (true) {
      try (Stream<String> lines = client.events(taskId, since)) {
        String end = read(lines.iterator(), onEvent);
        if (end != null) {
          return end;
        }
        retries = 0; // the host closed a healthy stream (e.g. a restart): resume at once
      } catch (CliException e) {
        if (e.exitCode() != CliException.UNREACHABLE || ++retries > MAX_RETRIES) {
          throw e.exitCode() == CliException.UNREACHABLE ? new CliException(CliException.UNREACHABLE,
              "Lost the host at " + client.base() + " while following " + taskId
                  + "; follow it again with: skillhost watch " + taskId) : e;
        }
      } catch (UncheckedIOException e) {
        retries++; // the stream broke mid-way: resume after the last event seen
      }
      pause(200L << Math.min(retries, 4));
    }
  }

  /** Reads SSE frames; answers the final state once a terminal state event arrives, else null at EOF. */
  private String read(Iterator<String> lines, Consumer<JsonObject> onEvent) {
    StringBuilder data = new StringBuilder();
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.startsWith("data:")) {
        data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
      } else if (line.isEmpty() && data.length() > 0) {
        JsonObject event = parse(data.toString());
        data.setLength(0);
        if (event == null || event.getLong("seq", 0L) <= since) {
          continue;
        }
        since = event.getLong("seq");
        onEvent.accept(event);
        if ("state".equals(event.getString("type")) && TERMINAL.contains(event.getString("state"))) {
          return event.getString("state");
        }
      }
    }
    return null;
  }

  private static JsonObject parse(String data) {
    try {
      return new JsonObject(data);
    } catch (DecodeException e) {
      return null; // a frame we do not understand (a comment, a newer event kind): skip it
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.FAILED, "Interrupted.");
    }
  }
}
