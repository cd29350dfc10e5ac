package dev.skillhost.simulators.libtv;

import dev.skillhost.simulators.Faults;
import dev.skillhost.simulators.Loopback;
import dev.skillhost.simulators.SpendLedger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Both LibTV backends on one loopback port, each exactly as its clients see it:
 * <ul>
 *   <li>the Nexu Seedance gateway ({@code mgk_} keys in {@code X-API-KEY}; bare JSON answers;
 *       errors {@code {"error":{"user_message":…}}}): {@code /libtv/v1/{session,upload}},
 *       {@code /libtv/v1/session/{id}[/results]}, {@code /libtv/v1/session/change-project},
 *       {@code /api/v1/key/status}, {@code /api/v1/tasks}; trial keys count uses;</li>
 *   <li>LibTV's OpenAPI ({@code Authorization: Bearer sk-libtv-…}; {@code {code, message, data}}):
 *       {@code /openapi/session[/{id}]}, {@code /openapi/session/change-project},
 *       {@code /openapi/file/upload} and the script's {@code /openapi/upload} (form field accessKey).</li>
 * </ul>
 * Sessions hold messages with seq, served after {@code afterSeq}; a message plays a script ending
 * as {@link LibTvOutcome} says. A personal key sent to the gateway is refused and counted. Rate
 * limits answer 429 with Retry-After; {@link #faults()} injects faults per route (names like
 * {@code "POST /openapi/session"}); {@link #spends()} counts every message sent (the spend), keyed
 * by its text.
 */
public final class LibTvSimulator {

  /** Keys a fresh simulator accepts; tests add their own. */
  public static final String DEMO_GATEWAY_KEY = "mgk_sim_demo_0001";
  public static final String DEMO_DIRECT_KEY = "sk-libtv-sim-demo-0001";
  static final long MAX_UPLOAD = 200L * 1024 * 1024;

  private final Vertx vertx;
  private final Faults faults = new Faults();
  private final SpendLedger spends = new SpendLedger();
  private final Map<String, GatewayKey> gatewayKeys = new ConcurrentHashMap<>();
  private final Map<String, Boolean> directKeys = new ConcurrentHashMap<>();
  private final Map<String, LibTvSimSession> sessions = new ConcurrentHashMap<>();
  private final Map<String, String> defaultSession = new ConcurrentHashMap<>();
  private final Map<String, String> projects = new ConcurrentHashMap<>();
  private final Map<String, LibTvOutcome> plans = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final List<String> uploads = new CopyOnWriteArrayList<>();
  private final AtomicInteger leaks = new AtomicInteger();
  private final Map<String, long[]> windows = new ConcurrentHashMap<>();
  private volatile long stepMs = 40;
  private volatile boolean primaryUpload = true;
  private volatile int ratePermits = Integer.MAX_VALUE;
  private volatile long rateWindowMs = 1000;
  private volatile int retryAfterS = 1;
  private HttpServer server;

  /** A trial key of the gateway: uses left and an optional expiry. */
  private static final class GatewayKey {
    final int maxUses;
    final AtomicInteger remaining;
    final Instant expiresAt;

    GatewayKey(int maxUses, Instant expiresAt) {
      this.maxUses = maxUses;
      this.remaining = new AtomicInteger(maxUses);
      this.expiresAt = expiresAt;
    }
  }

  private LibTvSimulator(Vertx vertx) {
    this.vertx = vertx;
    gatewayKey(DEMO_GATEWAY_KEY, 1_000_000, null);
    directKey(DEMO_DIRECT_KEY);
  }

  /** Starts on 127.0.0.1; options: {@code port} (0 = any), {@code step_ms} (time between the agent's messages). */
  public static Future<LibTvSimulator> start(Vertx vertx, JsonObject options) {
    LibTvSimulator sim = new LibTvSimulator(vertx);
    JsonObject o = options == null ? new JsonObject() : options;
    sim.stepMs = o.getLong("step_ms", sim.stepMs);
    return Loopback.listen(vertx, sim.router(), o.getInteger("port", 0)).map(s -> {
      sim.server = s;
      return sim;
    });
  }

  public String baseUrl() {
    return Loopback.baseUrl(server);
  }

  public Faults faults() {
    return faults;
  }

  public SpendLedger spends() {
    return spends;
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  // ---- test controls ----

  /** Accepts an mgk_ trial key with {@code maxUses} generations, expiring at {@code expiresAt} (or never). */
  public LibTvSimulator gatewayKey(String key, int maxUses, Instant expiresAt) {
    gatewayKeys.put(key, new GatewayKey(maxUses, expiresAt));
    return this;
  }

  public LibTvSimulator directKey(String key) {
    directKeys.put(key, true);
    return this;
  }

  /** A message containing {@code fragment} ends as {@code outcome} (else VIDEO, or IMAGE for image words). */
  public LibTvSimulator plan(String fragment, LibTvOutcome outcome) {
    plans.put(fragment, outcome);
    return this;
  }

  public LibTvSimulator stepMs(long ms) {
    this.stepMs = ms;
    return this;
  }

  /** Whether {@code /openapi/file/upload} exists (else only the script's {@code /openapi/upload} answers). */
  public LibTvSimulator primaryUpload(boolean exists) {
    this.primaryUpload = exists;
    return this;
  }

  /** At most {@code permits} requests per key per window; beyond, 429 with Retry-After. */
  public LibTvSimulator rateLimit(int permits, long windowMs, int retryAfterSeconds) {
    this.ratePermits = permits;
    this.rateWindowMs = windowMs;
    this.retryAfterS = retryAfterSeconds;
    windows.clear();
    return this;
  }

  /** Ends a session's open generation now (e.g. one planned NEVER), as {@code outcome}. */
  public void finish(String sessionId, LibTvOutcome outcome) {
    sessions.get(sessionId).finishLate(outcome, System.currentTimeMillis(), stepMs);
  }

  /** Requests per route name (e.g. {@code "GET /openapi/session/{id}"}), auth failures included. */
  public int requests(String route) {
    AtomicInteger n = requests.get(route);
    return n == null ? 0 : n.get();
  }

  public int totalRequests() {
    return requests.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Personal sk-libtv- keys that reached a gateway path: must stay 0. */
  public int directKeysAtGateway() {
    return leaks.get();
  }

  /** User messages of a session, in order. */
  public List<String> userMessages(String sessionId) {
    LibTvSimSession s = sessions.get(sessionId);
    return s == null ? List.of() : s.userMessages();
  }

  /** The session whose user messages include one containing {@code fragment}. */
  public String sessionWith(String fragment) {
    return sessions.values().stream().filter(s -> s.userMessages().stream().anyMatch(m -> m.contains(fragment)))
        .map(s -> s.id).findFirst().orElseThrow(() -> new IllegalStateException("no session got " + fragment));
  }

  /** Every user message any session received. */
  public List<String> allUserMessages() {
    List<String> all = new ArrayList<>();
    sessions.values().forEach(s -> all.addAll(s.userMessages()));
    return all;
  }

  /** Paths uploads arrived on, in order. */
  public List<String> uploads() {
    return List.copyOf(uploads);
  }

  public int remainingUses(String key) {
    return gatewayKeys.get(key).remaining.get();
  }

  // ---- the wire ----

  private Router router() {
    Router r = Router.router(vertx);
    // The official client sends '//libtv/…' (GATEWAY_URL ends in '/'); the real gateway accepts it.
    r.route().handler(rc -> {
      String path = rc.request().path();
      if (path.contains("//")) {
        rc.reroute(path.replaceAll("/{2,}", "/") + (rc.request().query() == null ? "" : "?" + rc.request().query()));
      } else {
        rc.next();
      }
    });
    r.route().handler(BodyHandler.create().setBodyLimit(MAX_UPLOAD + 1024 * 1024).setDeleteUploadedFilesOnEnd(true)
        .setUploadsDirectory(System.getProperty("java.io.tmpdir") + "/libtv-sim-uploads"));
    Adapter gw = new Adapter(true);
    Adapter direct = new Adapter(false);
    r.post("/libtv/v1/session/change-project").handler(gw.wrap("POST /libtv/v1/session/change-project", this::changeProject));
    r.post("/libtv/v1/session").handler(gw.wrap("POST /libtv/v1/session", this::session));
    r.get("/libtv/v1/session/:id/results").handler(gw.wrap("GET /libtv/v1/session/{id}/results", this::results));
    r.get("/libtv/v1/session/:id").handler(gw.wrap("GET /libtv/v1/session/{id}", this::messages));
    r.post("/libtv/v1/upload").handler(gw.wrap("POST /libtv/v1/upload", (rc, k) -> upload(rc, k, "/libtv/v1/upload")));
    r.get("/api/v1/key/status").handler(gw.wrap("GET /api/v1/key/status", this::keyStatus));
    r.get("/api/v1/tasks").handler(gw.wrap("GET /api/v1/tasks", this::tasks));
    r.post("/openapi/session/change-project").handler(direct.wrap("POST /openapi/session/change-project", this::changeProject));
    r.post("/openapi/session").handler(direct.wrap("POST /openapi/session", this::session));
    r.get("/openapi/session/:id").handler(direct.wrap("GET /openapi/session/{id}", this::messages));
    r.post("/openapi/file/upload").handler(direct.wrap("POST /openapi/file/upload", (rc, k) -> primaryUpload
        ? upload(rc, k, "/openapi/file/upload") : new Reply(404, null, "Not Found")));
    r.post("/openapi/upload").handler(direct.wrap("POST /openapi/upload", (rc, k) -> {
      String field = rc.request().getFormAttribute("accessKey");
      return k.equals(field) ? upload(rc, k, "/openapi/upload") : new Reply(401, null, "accessKey does not match");
    }));
    return r;
  }

  /** An answer before the adapter's envelope: the data on success, else the status and the error text. */
  private record Reply(int status, JsonObject data, String error) {
    static Reply ok(JsonObject data) {
      return new Reply(200, data, null);
    }
  }

  @FunctionalInterface
  private interface Work {
    Reply apply(RoutingContext rc, String key);
  }

  /** One backend's auth, envelope and errors around the shared session model. */
  private final class Adapter {
    final boolean gateway;

    Adapter(boolean gateway) {
      this.gateway = gateway;
    }

    io.vertx.core.Handler<RoutingContext> wrap(String route, Work work) {
      return rc -> {
        requests.computeIfAbsent(route, x -> new AtomicInteger()).incrementAndGet();
        String key = gateway ? rc.request().getHeader("X-API-KEY") : bearer(rc);
        if (gateway) {
          String auth = rc.request().getHeader("Authorization");
          if ((auth != null && auth.contains("sk-libtv-")) || (key != null && key.startsWith("sk-libtv-"))) {
            leaks.incrementAndGet();
          }
        }
        if (key != null && limited(key)) {
          send(rc, new Reply(429, null, gateway ? "Too many requests, slow down" : "请求过于频繁 (rate limited)"), retryAfterS);
          return;
        }
        Reply denied = authorize(key);
        if (denied != null) {
          send(rc, denied, null);
          return;
        }
        Faults.Fault fault = faults.take(route);
        if (fault != null && Faults.before(fault, rc)) {
          return;
        }
        Reply reply;
        try {
          reply = work.apply(rc, key);
        } catch (RuntimeException e) {
          reply = new Reply(500, null, "Service temporarily unavailable");
        }
        if (fault != null) {
          Faults.finish(fault, rc, vertx, reply.status(), body(reply).encode());
        } else {
          send(rc, reply, null);
        }
      };
    }

    private Reply authorize(String key) {
      if (key == null || key.isBlank()) {
        return new Reply(401, null, gateway ? "Missing API Key" : "Missing access key");
      }
      if (gateway) {
        GatewayKey k = gatewayKeys.get(key);
        if (k == null) return new Reply(401, null, "Invalid API Key");
        if (k.expiresAt != null && Instant.now().isAfter(k.expiresAt)) return new Reply(401, null, "Key expired");
        return null;
      }
      return directKeys.containsKey(key) ? null : new Reply(401, null, "Invalid API Key");
    }

    private JsonObject body(Reply reply) {
      if (gateway) {
        return reply.error() == null ? reply.data() : new JsonObject().put("error", new JsonObject().put("user_message", reply.error()));
      }
      return reply.error() == null ? new JsonObject().put("code", 0).put("message", "success").put("data", reply.data())
          : new JsonObject().put("code", reply.status()).put("message", reply.error());
    }

    private void send(RoutingContext rc, Reply reply, Integer retryAfter) {
      var res = rc.response().setStatusCode(reply.status()).putHeader("content-type", "application/json");
      if (retryAfter != null) res.putHeader("Retry-After", String.valueOf(retryAfter));
      res.end(body(reply).encode());
    }

    private String bearer(RoutingContext rc) {
      String auth = rc.request().getHeader("Authorization");
      return auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
    }
  }

  private boolean limited(String key) {
    long now = System.currentTimeMillis();
    long[] w = windows.computeIfAbsent(key, k -> new long[] {now, 0});
    synchronized (w) {
      if (now - w[0] >= rateWindowMs) {
        w[0] = now;
        w[1] = 0;
      }
      return ++w[1] > ratePermits;
    }
  }

  private Reply session(RoutingContext rc, String key) {
    JsonObject body;
    try {
      body = rc.body().asJsonObject();
    } catch (RuntimeException e) {
      return new Reply(400, null, "request body must be JSON");
    }
    if (body == null) body = new JsonObject();
    String message = body.getString("message");
    String sessionId = body.getString("sessionId");
    LibTvSimSession s;
    if (sessionId != null) {
      s = sessions.get(sessionId);
      if (s == null || !s.owner.equals(key)) return new Reply(404, null, "Session not found");
    } else if (message == null) {
      // libtv-skills SKILL.md: no sessionId and no message binds the key's default session.
      s = sessions.get(defaultSession.computeIfAbsent(key, k -> newSession(k).id));
    } else {
      s = newSession(key);
    }
    if (message != null) {
      GatewayKey trial = gatewayKeys.get(key);
      if (trial != null && trial.remaining.getAndUpdate(n -> n > 0 ? n - 1 : n) <= 0) {
        return new Reply(403, null, "Free trial uses exhausted");
      }
      spends.record(rc.request().method() + " " + rc.currentRoute().getPath(), message, 1);
      s.send(message, outcome(message), System.currentTimeMillis(), stepMs, references(message));
    }
    return Reply.ok(new JsonObject().put("sessionId", s.id).put("projectUuid", s.projectUuid)
        .put("projectUrl", "https://www.liblib.tv/canvas?projectId=" + s.projectUuid));
  }

  private LibTvSimSession newSession(String key) {
    LibTvSimSession s = new LibTvSimSession(key, projects.computeIfAbsent(key, k -> uuid()));
    sessions.put(s.id, s);
    return s;
  }

  private Reply messages(RoutingContext rc, String key) {
    LibTvSimSession s = sessions.get(rc.pathParam("id"));
    if (s == null || !s.owner.equals(key)) return new Reply(404, null, "Session not found");
    long after;
    try {
      String q = rc.request().getParam("afterSeq");
      after = q == null ? 0 : Long.parseLong(q);
    } catch (NumberFormatException e) {
      return new Reply(400, null, "afterSeq must be a number");
    }
    return Reply.ok(new JsonObject().put("messages", s.after(after, System.currentTimeMillis())));
  }

  private Reply results(RoutingContext rc, String key) {
    LibTvSimSession s = sessions.get(rc.pathParam("id"));
    if (s == null || !s.owner.equals(key)) return new Reply(404, null, "Session not found");
    return Reply.ok(new JsonObject().put("urls", s.results(System.currentTimeMillis())));
  }

  private Reply changeProject(RoutingContext rc, String key) {
    String project = uuid();
    projects.put(key, project);
    defaultSession.remove(key);
    return Reply.ok(new JsonObject().put("projectUuid", project));
  }

  private Reply keyStatus(RoutingContext rc, String key) {
    GatewayKey k = gatewayKeys.get(key);
    JsonObject status = new JsonObject().put("remaining_uses", k.remaining.get()).put("max_uses", k.maxUses);
    if (k.expiresAt != null) status.put("expires_at", k.expiresAt.toString());
    return Reply.ok(status);
  }

  private Reply tasks(RoutingContext rc, String key) {
    long now = System.currentTimeMillis();
    JsonArray tasks = new JsonArray();
    sessions.values().stream().filter(s -> s.owner.equals(key)).forEach(s -> s.tasks(now).forEach(tasks::add));
    return Reply.ok(new JsonObject().put("tasks", tasks));
  }

  private Reply upload(RoutingContext rc, String key, String path) {
    List<FileUpload> files = rc.fileUploads().stream().filter(f -> "file".equals(f.name())).toList();
    if (files.size() != 1) return new Reply(400, null, "multipart field 'file' is required");
    FileUpload f = files.get(0);
    String type = f.contentType() == null ? "" : f.contentType();
    if (!type.startsWith("image/") && !type.startsWith("video/")) return new Reply(400, null, "Unsupported file type");
    if (f.size() > MAX_UPLOAD) return new Reply(413, null, "File too large");
    String name = f.fileName() == null ? "" : f.fileName();
    String ext = name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
    uploads.add(path);
    String project = projects.computeIfAbsent(key, k -> uuid());
    return Reply.ok(new JsonObject().put("url", LibTvSimSession.CDN + "/claw/" + project + "/" + uuid() + ext));
  }

  private LibTvOutcome outcome(String message) {
    for (Map.Entry<String, LibTvOutcome> p : plans.entrySet()) {
      if (message.contains(p.getKey())) return p.getValue();
    }
    String lower = message.toLowerCase(java.util.Locale.ROOT);
    boolean image = (lower.contains("image") || lower.contains("picture") || lower.contains("poster")
        || message.contains("图片") || message.contains("海报")) && !lower.contains("video") && !message.contains("视频");
    return image ? LibTvOutcome.IMAGE : LibTvOutcome.VIDEO;
  }

  private static List<String> references(String message) {
    List<String> refs = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(LibTvSimSession.CDN.replace(".", "\\.") + "/claw/\\S+").matcher(message);
    while (m.find()) refs.add(m.group());
    return refs;
  }

  private static String uuid() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /**
   * Runs the simulator: {@code [port [step_ms [fragment=OUTCOME ...]]]}, e.g. {@code 0 2000
   * wait-forever=NEVER}; prints the base URL and the demo keys.
   */
  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    long step = args.length > 1 ? Long.parseLong(args[1]) : 2000;
    Vertx vertx = Vertx.vertx();
    start(vertx, new JsonObject().put("port", port).put("step_ms", step)).onSuccess(sim -> {
      for (int i = 2; i < args.length; i++) {
        int eq = args[i].lastIndexOf('=');
        sim.plan(args[i].substring(0, eq), LibTvOutcome.valueOf(args[i].substring(eq + 1)));
      }
      System.out.println("LibTV simulator on " + sim.baseUrl());
      System.out.println("  gateway key (mgk_):      " + DEMO_GATEWAY_KEY);
      System.out.println("  direct key (sk-libtv-):  " + DEMO_DIRECT_KEY);
      System.out.println("  set providers.libtv.gateway_url and direct_url to " + sim.baseUrl());
    }).onFailure(e -> {
      System.err.println("cannot start: " + e.getMessage());
      vertx.close();
    });
  }

  /** For callers that want a plain function of the session list (bench). */
  public int sessions() {
    return sessions.size();
  }
}
