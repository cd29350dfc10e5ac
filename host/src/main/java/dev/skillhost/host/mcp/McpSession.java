package dev.skillhost.host.mcp;

import dev.skillhost.host.store.TaskEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One MCP session ({@code Mcp-Session-Id}): who opened it, what the client can do, its SSE
 * streams, the requests the server sent the client and awaits, and the answers to recent tool
 * calls by request id (a client retrying a call with the same id gets the first call's answer,
 * so nothing is submitted twice). In memory: after a host restart a client initializes again,
 * and its tasks are still there (they are the key's Skillhost tasks). Confined to the API
 * verticle's event loop.
 */
final class McpSession {

  static final String V2025_11_25 = "2025-11-25";
  static final String V2025_06_18 = "2025-06-18";
  static final String V2025_03_26 = "2025-03-26";
  private static final int REMEMBERED_ANSWERS = 256;
  private static final int KEPT_FINISHED = 64;

  final String id;
  final String owner;
  final String protocol;
  final JsonObject clientCapabilities;
  final JsonObject clientInfo;
  final String locale;
  final SseStream standalone;
  /** Streams with a reader, for the subscribers gauge. */
  private final java.util.concurrent.atomic.AtomicInteger attached;
  final Map<String, SseStream> streams = new LinkedHashMap<>();
  final Map<String, Promise<JsonObject>> pending = new HashMap<>();
  final Map<String, Exchange> inFlight = new HashMap<>();
  final Set<String> subscriptions = new HashSet<>();
  /** Tasks this session made or asked about: their status changes are sent on the standalone stream. */
  final Set<String> tracked = new HashSet<>();
  /** Progress tokens of task-augmented calls, by task id, until the task ends. */
  final Map<String, McpEvents.TaskProgress> taskProgress = new HashMap<>();
  final Map<String, Future<JsonObject>> answers = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Future<JsonObject>> eldest) {
      return size() > REMEMBERED_ANSWERS;
    }
  };
  /** The client listed resources: tell it when the list changes (a task of the key succeeded). */
  boolean listsResources;
  MessageConsumer<TaskEvent> events;
  long lastSeen;
  boolean closed;
  private long streamSeq;
  private long requestSeq;

  McpSession(String id, String owner, String protocol, JsonObject clientCapabilities, JsonObject clientInfo,
      String locale, long now, java.util.concurrent.atomic.AtomicInteger attached) {
    this.id = id;
    this.attached = attached;
    this.owner = owner;
    this.protocol = protocol;
    this.clientCapabilities = clientCapabilities == null ? new JsonObject() : clientCapabilities;
    this.clientInfo = clientInfo == null ? new JsonObject() : clientInfo;
    this.locale = locale;
    this.lastSeen = now;
    this.standalone = new SseStream("g", primes(), attached);
    streams.put(standalone.id, standalone);
  }

  /** Whether the revision has tasks, priming events and URL elicitation (2025-11-25 on). */
  boolean modern() {
    return protocol.compareTo(V2025_11_25) >= 0;
  }

  boolean primes() {
    return modern();
  }

  /** The client answers {@code elicitation/create} in form mode ({@code elicitation: {}} means form). */
  boolean elicitsForm() {
    JsonObject e = clientCapabilities.getJsonObject("elicitation");
    return e != null && (e.isEmpty() || e.containsKey("form"));
  }

  boolean elicitsUrl() {
    JsonObject e = clientCapabilities.getJsonObject("elicitation");
    return modern() && e != null && e.containsKey("url");
  }

  /** A new answer stream for one request. */
  SseStream newStream() {
    SseStream s = new SseStream("r" + (++streamSeq), primes(), attached);
    streams.put(s.id, s);
    return s;
  }

  /** Forgets all but the latest {@value #KEPT_FINISHED} answer streams that ended and have no reader. */
  void prune() {
    long finished = streams.values().stream().filter(s -> s.finished() && !s.attached()).count();
    var it = streams.values().iterator();
    while (finished > KEPT_FINISHED && it.hasNext()) {
      SseStream s = it.next();
      if (s != standalone && s.finished() && !s.attached()) {
        it.remove();
        finished--;
      }
    }
  }

  String nextRequestId() {
    return "skillhost-" + (++requestSeq);
  }

  /** Sends a notification on the standalone stream (kept for a reconnecting GET if none is open). */
  void notifyClient(String method, JsonObject params) {
    if (!closed) {
      standalone.send(Rpc.notification(method, params));
    }
  }

  void close() {
    closed = true;
    streams.values().forEach(SseStream::close);
    streams.clear();
    pending.values().forEach(p -> p.tryFail(new Rpc.Failure(Rpc.INTERNAL_ERROR, "the session ended")));
    pending.clear();
    if (events != null) {
      events.unregister();
      events = null;
    }
  }
}
