package dev.skillhost.host.mcp;

import dev.skillhost.host.api.Auth;
import dev.skillhost.host.api.ApiKeys;
import dev.skillhost.host.skills.Messages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import dev.skillhost.host.net.SafeFetcher;
import dev.skillhost.host.plugins.PluginHost;
import dev.skillhost.host.skills.SkillRegistry;
import dev.skillhost.host.store.FileStore;
import dev.skillhost.host.tasks.TaskEngineVerticle;

/**
 * {@code /mcp}: the MCP Streamable HTTP transport. POST carries one JSON-RPC message (a request is
 * answered as JSON, or as an SSE stream when something comes first); GET opens the session's
 * stream for server messages, or resumes any of its streams with {@code Last-Event-ID}; DELETE
 * ends the session. The API keys of {@code /v1} authenticate every call.
 */
public final class McpRoutes {

  public static final String PATH = "/mcp";
  static final List<String> VERSIONS = List.of(McpSession.V2025_11_25, McpSession.V2025_06_18, McpSession.V2025_03_26);
  /** Base64 uploads come in a message: room for a 12 MB file. */
  static final long MAX_MESSAGE_BYTES = 16L * 1024 * 1024;
  /** Past this a message is parsed and checked on a worker (a millisecond or more of CPU). */
  static final int LARGE_MESSAGE_BYTES = 64 * 1024;
  private static final Set<String> LOCAL = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private final Vertx vertx;
  private final McpSessions sessions;
  private final McpServer server;

  private McpRoutes(Vertx vertx, McpSessions sessions, McpServer server) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.server = server;
  }

  /**
   * The MCP endpoint over the host's engine, skills and files. Call on the API verticle's
   * context; {@link #start()} after mounting, {@link #stop()} when the verticle stops.
   *
   * @param fileLink   a signed, short-lived link path to a stored file
   * @param publicBase the host's base URL, for absolute links
   */
  public static McpRoutes create(Vertx vertx, String version, TaskEngineVerticle engine, SkillRegistry skills,
      PluginHost plugins, dev.skillhost.host.skills.Router router, FileStore files, dev.skillhost.host.api.Logins logins,
      SafeFetcher fetcher, long uploadMax,
      Function<String, String> fileLink, Supplier<String> publicBase) {
    TaskViews views = new TaskViews(engine, files, fileLink, publicBase, skills::skill);
    McpEvents events = new McpEvents(vertx, engine, views);
    Confirmations confirmations = new Confirmations(engine, views);
    ToolCatalog catalog = new ToolCatalog(vertx, skills, plugins);
    Tools tools = new Tools(vertx, engine, router, files, fetcher, uploadMax, catalog, views, events, confirmations,
        new SignIns(logins));
    McpServer server = new McpServer(version, catalog, tools, new Resources(vertx, engine, files, views, events),
        new TaskMethods(vertx, engine, views, confirmations, events, tools));
    return new McpRoutes(vertx, new McpSessions(vertx, catalog), server);
  }

  /** Builds the first tool list (on a worker) and starts the session timers. */
  public Future<Void> start() {
    return sessions.start();
  }

  public void stop() {
    sessions.stop();
  }

  /** Where the counts of live sessions and of SSE streams with a reader go (gauges); before {@link #start()}. */
  public void meter(java.util.concurrent.atomic.AtomicInteger sessions, java.util.concurrent.atomic.AtomicInteger streams) {
    this.sessions.meter(sessions, streams);
  }

  /** Open sessions (for metrics and benchmarks). */
  public int sessions() {
    return sessions.size();
  }

  /** Mounts {@code /mcp} behind the origin check and the key check. */
  public void mount(Router router, io.vertx.core.Handler<RoutingContext> auth) {
    router.route(PATH).handler(this::origin).handler(auth);
    router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_MESSAGE_BYTES)).handler(this::post);
    router.get(PATH).handler(this::get);
    router.delete(PATH).handler(this::delete);
    router.route(PATH).handler(ctx -> refuse(ctx, 405, Rpc.INVALID_REQUEST, "Use POST, GET or DELETE on /mcp."));
  }

  /** DNS-rebinding guard (the transport's rule): a browser page may call only from this host or loopback. */
  private void origin(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin != null && !origin.equals("null")) {
      String host;
      try {
        host = URI.create(origin).getHost();
      } catch (IllegalArgumentException e) {
        host = null;
      }
      String self = ctx.request().authority() == null ? null : ctx.request().authority().host();
      if (host == null || !(LOCAL.contains(host) || host.equalsIgnoreCase(self))) {
        refuse(ctx, 403, Rpc.INVALID_REQUEST, "Origin " + origin + " may not call this server.");
        return;
      }
    }
    ctx.next();
  }

  private void post(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    boolean large = body != null && body.length() > LARGE_MESSAGE_BYTES;
    if (!large) {
      Object parsed;
      try {
        parsed = body == null ? null : Json.decodeValue(body);
      } catch (DecodeException e) {
        refuse(ctx, 400, Rpc.PARSE_ERROR, "The body is not JSON: send one JSON-RPC message.");
        return;
      }
      post(ctx, parsed, false);
      return;
    }
    // a base64 upload is up to 16 MB of JSON: parsing it is worker work, not event-loop work
    vertx.executeBlocking(() -> Json.decodeValue(body), false).onComplete(ar -> {
      if (ar.failed()) {
        refuse(ctx, 400, Rpc.PARSE_ERROR, "The body is not JSON: send one JSON-RPC message.");
      } else {
        post(ctx, ar.result(), true);
      }
    });
  }

  private void post(RoutingContext ctx, Object parsed, boolean large) {
    if (parsed instanceof JsonArray) {
      refuse(ctx, 400, Rpc.INVALID_REQUEST, "Send one JSON-RPC message per POST; batches are not part of MCP since 2025-06-18.");
      return;
    }
    if (!(parsed instanceof JsonObject msg) || !"2.0".equals(msg.getValue("jsonrpc"))) {
      refuse(ctx, 400, Rpc.INVALID_REQUEST, "Send a JSON-RPC 2.0 message: {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":…}.");
      return;
    }
    String owner = Auth.owner(ctx);
    Object id = msg.getValue("id");
    String method = msg.getValue("method") instanceof String m ? m : null;
    boolean request = method != null && msg.containsKey("id");
    if (request && !(id instanceof String || id instanceof Integer || id instanceof Long)) {
      refuse(ctx, 400, Rpc.INVALID_REQUEST, "A request id must be a string or an integer.");
      return;
    }
    JsonObject params = msg.getValue("params") instanceof JsonObject p ? p : new JsonObject();
    if ("initialize".equals(method) && request) {
      initialize(ctx, owner, id, params);
      return;
    }
    McpSession s = session(ctx, owner);
    if (s == null) {
      return;
    }
    if (method == null) { // the client's answer to a request of ours
      var pending = id == null ? null : s.pending.remove(String.valueOf(id));
      if (pending != null) {
        JsonObject error = msg.getJsonObject("error");
        if (error == null) {
          pending.tryComplete(msg.getJsonObject("result", new JsonObject()));
        } else {
          pending.tryFail(new Rpc.Failure(error.getInteger("code", Rpc.INTERNAL_ERROR), error.getString("message", "")));
        }
      }
      ctx.response().setStatusCode(202).end();
      return;
    }
    if (!request) {
      server.notification(s, method, params);
      ctx.response().setStatusCode(202).end();
      return;
    }
    Exchange ex = new Exchange(vertx, s, id, method, params, ctx.response(), accepts(ctx.request(), "text/event-stream"),
        large);
    String key = (id instanceof String ? "s:" : "n:") + id;
    s.inFlight.put(key, ex);
    ctx.response().endHandler(v -> s.inFlight.remove(key, ex));
    ctx.response().closeHandler(v -> s.inFlight.remove(key, ex));
    server.request(ex);
  }

  private void initialize(RoutingContext ctx, String owner, Object id, JsonObject params) {
    String asked = params.getString("protocolVersion");
    String version = VERSIONS.contains(asked) ? asked : VERSIONS.get(0);
    String locale = Messages.acceptLanguage(ctx.request().getHeader("Accept-Language")).stream().findFirst()
        .orElse(Messages.DEFAULT_LOCALE);
    McpSession s = sessions.create(owner, version, params.getJsonObject("capabilities"), params.getJsonObject("clientInfo"),
        locale);
    if (s == null) {
      refuse(ctx, 503, Rpc.INTERNAL_ERROR, "Too many MCP sessions are open; try again later.");
      return;
    }
    ctx.response().putHeader("Mcp-Session-Id", s.id).putHeader("Content-Type", "application/json")
        .end(Rpc.result(id, server.initialized(s)).encode());
  }

  private void get(RoutingContext ctx) {
    if (!accepts(ctx.request(), "text/event-stream")) {
      refuse(ctx, 406, Rpc.INVALID_REQUEST, "GET /mcp opens an event stream: send Accept: text/event-stream.");
      return;
    }
    McpSession s = session(ctx, Auth.owner(ctx));
    if (s == null) {
      return;
    }
    String last = ctx.request().getHeader("Last-Event-ID");
    String[] resume = SseStream.parse(last);
    SseStream stream = resume == null ? s.standalone : s.streams.get(resume[0]);
    if (last != null && stream == null) {
      refuse(ctx, 400, Rpc.INVALID_REQUEST, "Last-Event-ID " + last + " names no stream of this session that is still kept.");
      return;
    }
    ctx.response().setStatusCode(200);
    stream.attach(ctx.response(), resume == null ? 0 : Long.parseLong(resume[1]));
  }

  private void delete(RoutingContext ctx) {
    McpSession s = session(ctx, Auth.owner(ctx));
    if (s != null) {
      sessions.remove(s);
      ctx.response().setStatusCode(204).end();
    }
  }

  /** The request's session, or null after answering 400 (none named), 404 (not one of ours) or 400 (bad version). */
  private McpSession session(RoutingContext ctx, String owner) {
    String id = ctx.request().getHeader("Mcp-Session-Id");
    if (id == null) {
      refuse(ctx, 400, Rpc.INVALID_REQUEST, "Send the Mcp-Session-Id header the initialize answer gave (or initialize first).");
      return null;
    }
    McpSession s = sessions.get(id, owner);
    if (s == null) {
      refuse(ctx, 404, Rpc.INVALID_REQUEST, "Session " + id + " is not open (it ended, or the host restarted): initialize again.");
      return null;
    }
    String version = ctx.request().getHeader("MCP-Protocol-Version");
    if (version != null && !VERSIONS.contains(version)) {
      refuse(ctx, 400, Rpc.INVALID_REQUEST, "MCP-Protocol-Version " + version + " is not one of " + String.join(", ", VERSIONS) + ".");
      return null;
    }
    s.lastSeen = System.currentTimeMillis();
    return s;
  }

  private static boolean accepts(HttpServerRequest req, String type) {
    String accept = req.getHeader("Accept");
    return accept == null || accept.contains(type) || accept.contains("*/*");
  }

  private static void refuse(RoutingContext ctx, int status, int code, String message) {
    HttpServerResponse res = ctx.response();
    if (!res.ended()) {
      res.setStatusCode(status).putHeader("Content-Type", "application/json").end(Rpc.error(null, code, message, null).encode());
    }
  }
}
