package dev.skillhost.simulators.lovart;

import dev.skillhost.simulators.Faults;
import dev.skillhost.simulators.Loopback;
import dev.skillhost.simulators.SpendLedger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lovart's Agent OpenAPI as the official client ({@code lovartai/lovart-skill@bd7052f}) speaks it,
 * on 127.0.0.1: AK/SK HMAC-SHA256 signatures checked (method, path, fresh timestamp), the
 * {@code {code, message, data}} envelope, threads with one running message each (409/2011),
 * {@code pending_confirmation} and {@code /chat/confirm}, artifacts appearing one by one, the
 * documented rate limits with 429/1429 and {@code Retry-After}, a Cloudflare-like edge refusing
 * non-browser user agents, and a CDN that wants Lovart's {@code Referer}. Faults are injected per
 * route ({@code "POST /chat"}, {@code "GET /chat/status"}, …); every spending call is counted by
 * its {@code Idempotency-Key}.
 */
public final class LovartSimulator {

  static final String PREFIX = "/v1/openapi";
  /** The Referer Lovart's CDN wants (the official download sends it). */
  public static final String CDN_REFERER = "https://www.lovart.ai/";

  /** What a simulator starts with; every field has the documented default. */
  public static final class Options {
    public int port;
    public String accessKey = "ak_sim_access";
    public String secretKey = "sk_sim_secret";
    /** Allowed clock skew of X-Timestamp; Lovart does not publish it. */
    public long skewSeconds = 300;
    public long chatPerMinute = 60;
    public long chatPerHour = 600;
    public long queryPerMinute = 300;
    public long queryPerHour = 3000;
    /** The README's {@code Retry-After: 60}. */
    public int retryAfterSeconds = 60;
    public double credits = 10_000;
    /** Whether a replayed POST with a seen Idempotency-Key is answered from the first (unconfirmed upstream). */
    public boolean dedupIdempotency;
    public LovartScript script = LovartScript.image(3_000);
    /** When above {@code script.runMs}, each message's run time is drawn uniformly from [runMs, this]. */
    public long runMsMax;

    public Options port(int p) { port = p; return this; }
    public Options keys(String ak, String sk) { accessKey = ak; secretKey = sk; return this; }
    public Options script(LovartScript s) { script = s; return this; }
    public Options retryAfter(int seconds) { retryAfterSeconds = seconds; return this; }
    public Options dedup(boolean on) { dedupIdempotency = on; return this; }
    public Options queryLimits(long perMinute, long perHour) { queryPerMinute = perMinute; queryPerHour = perHour; return this; }
    public Options chatLimits(long perMinute, long perHour) { chatPerMinute = perMinute; chatPerHour = perHour; return this; }
    public Options runMsMax(long ms) { runMsMax = ms; return this; }
  }

  /** A conversation: its project, its reasoning mode (locked by the first message), its messages. */
  static final class ChatThread {
    final String id;
    final String projectId;
    final String mode;
    final List<LovartTurn> turns = new ArrayList<>();

    ChatThread(String id, String projectId, String mode) {
      this.id = id;
      this.projectId = projectId;
      this.mode = mode;
    }

    synchronized LovartTurn current() {
      return turns.get(turns.size() - 1);
    }
  }

  private final Vertx vertx;
  private final Options options;
  private final Faults faults = new Faults();
  private final SpendLedger spends = new SpendLedger();
  private final LovartLimits limits;
  private final Map<String, ChatThread> threads = new ConcurrentHashMap<>();
  private final Map<String, String> projects = new ConcurrentHashMap<>();
  private final Map<String, Buffer> files = new ConcurrentHashMap<>();
  private final Map<String, String> chatByKey = new ConcurrentHashMap<>();
  private final Queue<LovartScript> queued = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final AtomicLong rateLimited = new AtomicLong();
  private final AtomicLong refusedAuth = new AtomicLong();
  private final AtomicLong busyRefusals = new AtomicLong();
  private final List<JsonObject> chats = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean unlimited;
  private volatile double credits;
  private volatile LovartScript script;
  private HttpServer server;
  private String baseUrl;

  private LovartSimulator(Vertx vertx, Options options) {
    this.vertx = vertx;
    this.options = options;
    this.credits = options.credits;
    this.script = options.script;
    this.limits = new LovartLimits(options.chatPerMinute, options.chatPerHour, options.queryPerMinute,
        options.queryPerHour, System.currentTimeMillis());
  }

  /** Starts a simulator on 127.0.0.1 ({@code options.port}, 0 = any free port). */
  public static Future<LovartSimulator> start(Vertx vertx, Options options) {
    LovartSimulator sim = new LovartSimulator(vertx, options);
    return Loopback.listen(vertx, sim.router(), options.port).map(s -> {
      sim.server = s;
      sim.baseUrl = Loopback.baseUrl(s);
      return sim;
    });
  }

  /** What {@code LOVART_BASE_URL} should be (the client appends {@code /v1/openapi}). */
  public String baseUrl() {
    return baseUrl;
  }

  public Faults faults() {
    return faults;
  }

  public SpendLedger spends() {
    return spends;
  }

  public Options options() {
    return options;
  }

  /** The next chat messages follow these scripts, in order; then the default script again. */
  public LovartSimulator queue(LovartScript... scripts) {
    queued.addAll(List.of(scripts));
    return this;
  }

  /** The script every message follows when none is queued. */
  public LovartSimulator script(LovartScript s) {
    script = s;
    return this;
  }

  public LovartSimulator credits(double c) {
    credits = c;
    return this;
  }

  public double credits() {
    return credits;
  }

  public boolean unlimited() {
    return unlimited;
  }

  /** Replaces the rate limits (fresh buckets). */
  public LovartSimulator limits(long chatMin, long chatHour, long queryMin, long queryHour) {
    limits.set(chatMin, chatHour, queryMin, queryHour, System.currentTimeMillis());
    return this;
  }

  /** Requests received on a route (e.g. {@code "GET /chat/status"}), including refused ones. */
  public long requests(String route) {
    AtomicLong n = requests.get(route);
    return n == null ? 0 : n.get();
  }

  public long requestsTotal() {
    return requests.values().stream().mapToLong(AtomicLong::get).sum();
  }

  public long rateLimited() {
    return rateLimited.get();
  }

  public long refusedAuth() {
    return refusedAuth.get();
  }

  public long busyRefusals() {
    return busyRefusals.get();
  }

  public Map<String, String> projects() {
    return Map.copyOf(projects);
  }

  /** Every accepted-for-checking POST /chat body, in arrival order. */
  public List<JsonObject> chats() {
    return List.copyOf(chats);
  }

  /** The messages a thread received. */
  public int turns(String threadId) {
    ChatThread t = threads.get(threadId);
    return t == null ? 0 : t.turns.size();
  }

  /** The reasoning mode a thread was locked to, or null. */
  public String mode(String threadId) {
    ChatThread t = threads.get(threadId);
    return t == null ? null : t.mode;
  }

  /** When the current message of a thread finished (ms since epoch), or -1. */
  public long finishedAt(String threadId) {
    ChatThread t = threads.get(threadId);
    return t == null ? -1 : t.current().finishedAt();
  }

  /** Everything a bench or a demo reads over HTTP at {@code GET /_sim/stats}. */
  public JsonObject stats() {
    JsonObject byRoute = new JsonObject();
    requests.forEach((k, v) -> byRoute.put(k, v.get()));
    JsonObject finished = new JsonObject();
    threads.forEach((id, t) -> finished.put(id, t.current().finishedAt()));
    return new JsonObject().put("requests", byRoute).put("requests_total", requestsTotal())
        .put("rate_limited", rateLimited.get()).put("refused_auth", refusedAuth.get())
        .put("busy_refusals", busyRefusals.get()).put("spends", spends.total())
        .put("repeated_spends", new JsonArray(spends.repeated())).put("threads", threads.size())
        .put("finished_at", finished);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  // ── routes ─────────────────────────────────────────────────────────────

  private Router router() {
    Router router = Router.router(vertx);
    String uploads;
    try {
      uploads = Files.createTempDirectory("lovart-sim-uploads").toString();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    router.route().handler(BodyHandler.create().setBodyLimit(64L << 20).setUploadsDirectory(uploads)
        .setDeleteUploadedFilesOnEnd(true));
    api(router, "POST", "/chat", this::chat, true);
    api(router, "GET", "/chat/status", this::status, false);
    api(router, "GET", "/chat/result", this::result, false);
    api(router, "POST", "/chat/confirm", this::confirm, true);
    api(router, "POST", "/project/save", this::saveProject, false);
    api(router, "GET", "/project/validate", this::validateProject, false);
    api(router, "POST", "/mode/set", this::setMode, false);
    api(router, "POST", "/mode/query", this::queryMode, false);
    api(router, "POST", "/file/upload", this::upload, false);
    api(router, "POST", "/artifact/upload", this::artifactUpload, false);
    router.get(PREFIX + "/tools/catalog").handler(rc -> {
      count("GET /tools/catalog");
      Faults.Fault fault = faults.take("GET /tools/catalog");
      if (Faults.before(fault, rc) || !edgeAllows(rc)) {
        return;
      }
      Faults.finish(fault, rc, vertx, 200, LovartCatalogData.envelope().encode());
    });
    router.get("/artifacts/agent/:name").handler(this::cdn);
    router.get("/img/:user/:name").handler(this::cdn);
    router.get("/_sim/stats").handler(rc -> rc.json(stats()));
    router.route().last().handler(rc -> rc.response().setStatusCode(404).putHeader("content-type", "application/json")
        .end(envelope(404, "route not found", null).encode()));
    return router;
  }

  /** What one endpoint does, given a verified request: the status and envelope to answer. */
  private interface Endpoint {
    Answer handle(RoutingContext rc, long now);
  }

  private record Answer(int status, JsonObject body) {}

  private void api(Router router, String method, String path, Endpoint endpoint, boolean chatTier) {
    String route = method + " " + path;
    router.route(io.vertx.core.http.HttpMethod.valueOf(method), PREFIX + path).handler(rc -> {
      count(route);
      Faults.Fault fault = faults.take(route);
      if (Faults.before(fault, rc) || !edgeAllows(rc)) {
        return;
      }
      long now = System.currentTimeMillis();
      String authProblem = LovartSignature.check(rc.request(), options.accessKey, options.secretKey,
          options.skewSeconds, now / 1000);
      if (authProblem != null) {
        refusedAuth.incrementAndGet();
        send(rc, 401, envelope(401, "Unauthorized", null).put("details", authProblem));
        return;
      }
      long retryAfter = (chatTier ? limits.chat : limits.query).take(now);
      if (retryAfter > 0) {
        rateLimited.incrementAndGet();
        rc.response().putHeader("Retry-After", String.valueOf(Math.max(retryAfter, options.retryAfterSeconds)));
        send(rc, 429, envelope(1429, "Rate limit exceeded, please retry later", null));
        return;
      }
      Answer answer;
      try {
        answer = endpoint.handle(rc, now);
      } catch (DecodeException | ClassCastException e) {
        answer = new Answer(400, envelope(400, "invalid request body", null).put("details", e.getMessage()));
      }
      Faults.finish(fault, rc, vertx, answer.status(), answer.body().encode());
    });
  }

  /** Cloudflare's bot management in front of the gateway: a library's default user agent gets 403. */
  private boolean edgeAllows(RoutingContext rc) {
    String ua = rc.request().getHeader("User-Agent");
    String lower = ua == null ? "" : ua.toLowerCase(java.util.Locale.ROOT);
    if (lower.isBlank() || lower.startsWith("vert.x") || lower.startsWith("java") || lower.startsWith("python-urllib")
        || lower.startsWith("okhttp") || lower.startsWith("apache-httpclient")) {
      rc.response().setStatusCode(403).putHeader("content-type", "text/html")
          .end("<html><title>Attention Required! | Cloudflare</title><body>Sorry, you have been blocked</body></html>");
      return false;
    }
    return true;
  }

  private Answer chat(RoutingContext rc, long now) {
    JsonObject body = rc.body().asJsonObject();
    String key = rc.request().getHeader("Idempotency-Key");
    if (body == null || body.getString("prompt", "").isBlank()) {
      return new Answer(400, envelope(400, "prompt is required", null));
    }
    String projectId = body.getString("project_id", "");
    if (!projects.containsKey(projectId)) {
      return new Answer(400, envelope(400, "Project '" + projectId + "' does not exist", null));
    }
    if (options.dedupIdempotency && key != null && chatByKey.containsKey(key)) {
      return new Answer(200, envelope(0, "success", new JsonObject().put("thread_id", chatByKey.get(key))));
    }
    String threadId = body.getString("thread_id");
    ChatThread thread;
    if (threadId == null || threadId.isBlank()) {
      String mode = body.getString("mode", "fast");
      if (!"fast".equals(mode) && !"thinking".equals(mode)) {
        return new Answer(400, envelope(400, "mode must be fast or thinking", null));
      }
      thread = new ChatThread("t-" + UUID.randomUUID().toString().replace("-", ""), projectId, mode);
    } else {
      thread = threads.get(threadId);
      if (thread == null) {
        return new Answer(404, envelope(404, "Thread '" + threadId + "' not found", null));
      }
      if (thread.current().busy(now)) {
        busyRefusals.incrementAndGet();
        return new Answer(409, envelope(2011, "A task is already running in this thread", null));
      }
    }
    chats.add(body.copy());
    LovartScript s = nextScript();
    double cost = unlimited ? 0 : s.chatCost();
    synchronized (this) {
      if (credits < cost) {
        return new Answer(402, envelope(2012, "Insufficient credits. Please top up to continue.", null));
      }
      credits -= cost;
    }
    synchronized (thread) {
      thread.turns.add(new LovartTurn(s, now, key));
    }
    threads.putIfAbsent(thread.id, thread);
    if (key != null) {
      chatByKey.put(key, thread.id);
    }
    spends.record("POST /chat", key, cost);
    return new Answer(200, envelope(0, "success", new JsonObject().put("thread_id", thread.id)));
  }

  private LovartScript nextScript() {
    LovartScript s = queued.poll();
    if (s != null) {
      return s;
    }
    s = script;
    if (options.runMsMax > s.runMs()) {
      s = s.withRunMs(ThreadLocalRandom.current().nextLong(s.runMs(), options.runMsMax + 1));
    }
    return s;
  }

  private ChatThread thread(RoutingContext rc) {
    String id = rc.request().getParam("thread_id");
    return id == null ? null : threads.get(id);
  }

  private Answer status(RoutingContext rc, long now) {
    ChatThread t = thread(rc);
    if (t == null) {
      return new Answer(404, envelope(404, "thread not found", null));
    }
    return new Answer(200, envelope(0, "success", new JsonObject().put("status", t.current().status(now))));
  }

  private Answer result(RoutingContext rc, long now) {
    ChatThread t = thread(rc);
    if (t == null) {
      return new Answer(404, envelope(404, "thread not found", null));
    }
    LovartTurn turn = t.current();
    int index = t.turns.indexOf(turn);
    JsonArray items = new JsonArray();
    String status = turn.status(now);
    if (!"running".equals(status) || turn.pending(now)) {
      items.add(new JsonObject().put("type", "assistant").put("text", turn.script.text()));
    }
    JsonArray artifacts = turn.artifacts(now, baseUrl, t.id, index);
    if (!artifacts.isEmpty()) {
      items.add(new JsonObject().put("type", "generator").put("name", "artifacts").put("artifacts", artifacts));
    }
    JsonObject pending = turn.pending(now)
        ? new JsonObject().put("estimated_cost", turn.script.confirmCost()).put("tool_name", "generate_video_seedance_v2_0")
        : null;
    return new Answer(200, envelope(0, "success", new JsonObject().put("thread_id", t.id).put("status", status)
        .put("items", items).put("pending_confirmation", pending)));
  }

  private Answer confirm(RoutingContext rc, long now) {
    JsonObject body = rc.body().asJsonObject();
    ChatThread t = body == null ? null : threads.get(body.getString("thread_id", ""));
    if (t == null) {
      return new Answer(404, envelope(404, "thread not found", null));
    }
    LovartTurn turn = t.current();
    if (!turn.pending(now)) {
      return new Answer(400, envelope(400, "nothing to confirm in this thread", null));
    }
    double cost = unlimited ? 0 : turn.script.confirmCost();
    synchronized (this) {
      if (credits < cost) {
        return new Answer(402, envelope(2012, "Insufficient credits. Please top up to continue.", null));
      }
      credits -= cost;
    }
    turn.confirmedAt = now;
    spends.record("POST /chat/confirm", rc.request().getHeader("Idempotency-Key"), cost);
    return new Answer(200, envelope(0, "success", new JsonObject().put("thread_id", t.id)));
  }

  private Answer saveProject(RoutingContext rc, long now) {
    JsonObject body = rc.body().asJsonObject();
    if (body == null) {
      return new Answer(400, envelope(400, "invalid request body", null));
    }
    String id = body.getString("project_id", "");
    if ("rename".equals(body.getString("action"))) {
      if (!projects.containsKey(id)) {
        return new Answer(400, envelope(400, "Project '" + id + "' does not exist", null));
      }
      projects.put(id, body.getString("project_name", ""));
      return new Answer(200, envelope(0, "success", new JsonObject().put("project_id", id)));
    }
    if (id.isEmpty()) {
      id = UUID.randomUUID().toString().replace("-", "");
    } else if (!projects.containsKey(id)) {
      return new Answer(400, envelope(400, "Project '" + id + "' does not exist", null));
    }
    projects.put(id, body.getString("project_name", projects.getOrDefault(id, "")));
    return new Answer(200, envelope(0, "success", new JsonObject().put("project_id", id)));
  }

  private Answer validateProject(RoutingContext rc, long now) {
    String id = rc.request().getParam("project_id", "");
    String name = projects.get(id);
    return new Answer(200, envelope(0, "success", new JsonObject().put("valid", name != null)
        .put("project_name", name == null ? "" : name)));
  }

  private Answer setMode(RoutingContext rc, long now) {
    JsonObject body = rc.body().asJsonObject();
    Object value = body == null ? null : body.getValue("unlimited");
    if (!(value instanceof Boolean)) {
      return new Answer(400, envelope(400, "unlimited must be true or false", null));
    }
    unlimited = (Boolean) value;
    return new Answer(200, envelope(0, "success", new JsonObject().put("unlimited", unlimited)));
  }

  private Answer queryMode(RoutingContext rc, long now) {
    return new Answer(200, envelope(0, "success", new JsonObject().put("unlimited", unlimited)
        .put("unlimited_list", new JsonArray().add("generate_image_midjourney").add("generate_image_nano_banana"))
        .put("balance", credits)));
  }

  private Answer upload(RoutingContext rc, long now) {
    List<FileUpload> uploads = rc.fileUploads();
    FileUpload file = uploads.stream().filter(f -> "file".equals(f.name())).findFirst().orElse(null);
    if (file == null) {
      return new Answer(400, envelope(400, "file is required", null));
    }
    Buffer bytes = vertx.fileSystem().readFileBlocking(file.uploadedFileName());
    String name = UUID.randomUUID().toString().replace("-", "") + "-" + file.fileName().replaceAll("[^A-Za-z0-9._-]", "_");
    files.put("/img/sim-user/" + name, bytes);
    return new Answer(200, envelope(0, "success", new JsonObject().put("url", baseUrl + "/img/sim-user/" + name)));
  }

  private Answer artifactUpload(RoutingContext rc, long now) {
    JsonObject body = rc.body().asJsonObject();
    if (body == null || !projects.containsKey(body.getString("project_id", ""))) {
      return new Answer(400, envelope(400, "Project '" + (body == null ? "" : body.getString("project_id")) + "' does not exist", null));
    }
    return new Answer(200, envelope(0, "success", new JsonObject().put("artifact_id", UUID.randomUUID().toString())
        .put("artifact_content", body.getString("artifact_content")).put("artifact_type", body.getString("artifact_type"))));
  }

  /** The CDN: uploaded files as stored, generated artifacts as small real files; Lovart's Referer required. */
  private void cdn(RoutingContext rc) {
    String path = rc.request().path();
    count("GET /cdn");
    if (!CDN_REFERER.equals(rc.request().getHeader("Referer")) && path.startsWith("/artifacts/")) {
      rc.response().setStatusCode(403).end("hotlinking is not allowed");
      return;
    }
    Buffer stored = files.get(path);
    if (stored != null) {
      rc.response().end(stored);
      return;
    }
    if (path.startsWith("/artifacts/agent/")) {
      Buffer png = LovartCatalogData.tinyPng();
      rc.response().putHeader("content-type", path.endsWith(".png") ? "image/png" : "application/octet-stream").end(png);
      return;
    }
    rc.response().setStatusCode(404).end();
  }

  private void count(String route) {
    requests.computeIfAbsent(route, r -> new AtomicLong()).incrementAndGet();
  }

  static JsonObject envelope(int code, String message, JsonObject data) {
    return new JsonObject().put("code", code).put("message", message).put("data", data);
  }

  private static void send(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  /**
   * Runs a simulator until killed: {@code --port N} (default 0), {@code --run-ms A} and
   * {@code --run-ms-max B} (each message takes a uniform time in [A, B]), {@code --chat-per-minute},
   * {@code --chat-per-hour}, {@code --query-per-minute}, {@code --query-per-hour},
   * {@code --retry-after S}, {@code --ak}, {@code --sk}. Prints its base URL on the first line.
   */
  public static void main(String[] args) {
    Options o = new Options();
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--port" -> o.port = Integer.parseInt(v);
        case "--run-ms" -> o.script = o.script.withRunMs(Long.parseLong(v));
        case "--run-ms-max" -> o.runMsMax = Long.parseLong(v);
        case "--chat-per-minute" -> o.chatPerMinute = Long.parseLong(v);
        case "--chat-per-hour" -> o.chatPerHour = Long.parseLong(v);
        case "--query-per-minute" -> o.queryPerMinute = Long.parseLong(v);
        case "--query-per-hour" -> o.queryPerHour = Long.parseLong(v);
        case "--retry-after" -> o.retryAfterSeconds = Integer.parseInt(v);
        case "--ak" -> o.accessKey = v;
        case "--sk" -> o.secretKey = v;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Vertx vertx = Vertx.vertx();
    LovartSimulator sim = start(vertx, o).await();
    System.out.println(sim.baseUrl());
    System.out.flush();
  }
}
