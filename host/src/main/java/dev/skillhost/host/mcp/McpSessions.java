package dev.skillhost.host.mcp;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live sessions, on the API verticle's event loop. A session idle for {@value #IDLE_MINUTES}
 * minutes with no stream open ends; open streams get a keep-alive comment now and then; the tool
 * list is checked for changes and every session told when it changed.
 */
final class McpSessions {

  static final int IDLE_MINUTES = 30;
  static final int MAX_SESSIONS = 20_000;
  private static final long TICK_MS = 250;
  private static final long KEEP_ALIVE_MS = 20_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final ToolCatalog catalog;
  private final Map<String, McpSession> sessions = new HashMap<>();
  private long timer = -1;
  private long lastKeepAlive;
  private AtomicInteger live = new AtomicInteger();
  private AtomicInteger attached = new AtomicInteger();

  McpSessions(Vertx vertx, ToolCatalog catalog) {
    this.vertx = vertx;
    this.catalog = catalog;
  }

  /** Where the count of live sessions and of streams with a reader go; set before the first session. */
  void meter(AtomicInteger sessions, AtomicInteger streams) {
    this.live = sessions;
    this.attached = streams;
  }

  /** Builds the first tool list, then looks for changes every {@value #TICK_MS} ms. */
  Future<Void> start() {
    return catalog.refresh().onSuccess(v -> timer = vertx.setPeriodic(TICK_MS, t -> tick())).mapEmpty();
  }

  void stop() {
    vertx.cancelTimer(timer);
    sessions.values().forEach(McpSession::close);
    sessions.clear();
    live.set(0);
  }

  int size() {
    return sessions.size();
  }

  /** A new session, or null when there are too many. */
  McpSession create(String owner, String protocol, JsonObject capabilities, JsonObject clientInfo, String locale) {
    if (sessions.size() >= MAX_SESSIONS) {
      return null;
    }
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    McpSession s = new McpSession(HexFormat.of().formatHex(id), owner, protocol, capabilities, clientInfo, locale,
        System.currentTimeMillis(), attached);
    sessions.put(s.id, s);
    live.set(sessions.size());
    return s;
  }

  /** The caller's session with this id; another key's session does not exist. */
  McpSession get(String id, String owner) {
    McpSession s = id == null ? null : sessions.get(id);
    return s == null || !s.owner.equals(owner) ? null : s;
  }

  void remove(McpSession s) {
    sessions.remove(s.id);
    live.set(sessions.size());
    s.close();
  }

  private void tick() {
    catalog.refresh().onSuccess(changed -> {
      if (changed) {
        sessions.values().forEach(s -> s.notifyClient("notifications/tools/list_changed", new JsonObject()));
      }
    });
    long now = System.currentTimeMillis();
    if (now - lastKeepAlive < KEEP_ALIVE_MS) {
      return;
    }
    lastKeepAlive = now;
    long idleBefore = now - IDLE_MINUTES * 60_000L;
    sessions.values().removeIf(s -> {
      boolean open = s.streams.values().stream().anyMatch(SseStream::attached) || !s.inFlight.isEmpty();
      if (!open && s.lastSeen < idleBefore) {
        s.close();
        return true;
      }
      s.streams.values().forEach(SseStream::keepAlive);
      s.prune();
      return false;
    });
    live.set(sessions.size());
  }
}
