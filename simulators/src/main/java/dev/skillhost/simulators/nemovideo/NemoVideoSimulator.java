package dev.skillhost.simulators.nemovideo;

import dev.skillhost.simulators.Faults;
import dev.skillhost.simulators.Loopback;
import dev.skillhost.simulators.SpendLedger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The NemoVideo "mega-skill" backend (protocol A in shared/protocols/nemovideo.md): anonymous
 * tokens by client id, sessions, one agent turn per {@code POST /run_sse} message streamed as SSE
 * with heartbeats and no terminal event, the session state, uploads, credits, claim tokens and
 * the Lambda render proxy. 127.0.0.1 only.
 *
 * <p>Protocol A is documented, never coded, upstream, so a few choices are ours and said here:
 * an error envelope {@code {code, message}} comes with HTTP 401 for 1001 (bad or expired token)
 * and HTTP 200 for the other codes (1002, 2001, 4001, 4002); HTTP 400 is a missing
 * {@code X-Client-Id}, 402 an export refused (missing attribution headers or a blocked plan),
 * 429 the anonymous-token limits with {@code Retry-After: 30}.
 *
 * <p>Every message sent to {@code /run_sse} is a spend (about 100 credits), recorded in
 * {@link #spends()} under its session id: {@link #messages(String)} must be 1 per task.
 */
public final class NemoVideoSimulator {

  /** The render status layouts seen across doc versions. */
  public enum RenderLayout {
    /** v1.9 / v4.5.1: top-level {@code status} and {@code output.url}. */
    TOP_LEVEL,
    /** v4.4: {@code {success, data:{id, status, progress, outputUrl}}}. */
    DATA_OUTPUT_URL,
    /** The CLI's client: {@code {success, data:{render_id, status, output:{url}}}}. */
    DATA_OUTPUT
  }

  /**
   * Start-up settings.
   *
   * @param port          0 for any
   * @param generateMs    how long the agent's generation tool runs
   * @param heartbeatMs   spacing of heartbeats and events on the stream
   * @param secondStageMs delay of the automatic music-and-title stage after the first cut
   * @param tokenTtl      anonymous token lifetime (7 days upstream)
   * @param ipTokenLimit  anonymous tokens per IP per 7 days (10 upstream)
   */
  public record Options(int port, long generateMs, long heartbeatMs, long secondStageMs, Duration tokenTtl,
      int ipTokenLimit) {

    /** Fast timings for tests. */
    public static Options fast() {
      return new Options(0, 60, 10, 150, Duration.ofDays(7), 10);
    }

    public Options withPort(int p) {
      return new Options(p, generateMs, heartbeatMs, secondStageMs, tokenTtl, ipTokenLimit);
    }
  }

  static final String APP = "nemo_agent";
  static final double MESSAGE_COST = 100;
  static final double ANON_CREDITS = 100;
  static final Set<String> FORMATS = Set.of("mp4", "mov", "avi", "webm", "mkv", "jpg", "jpeg", "png", "gif", "webp",
      "mp3", "wav", "m4a", "aac");

  private final Vertx vertx;
  private final Options options;
  private final Faults faults = new Faults();
  private final SpendLedger spends = new SpendLedger();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<String, String> clientTokens = new ConcurrentHashMap<>();
  private final Map<String, Account> accounts = new ConcurrentHashMap<>();
  private final Map<String, NemoSession> sessions = new ConcurrentHashMap<>();
  private final Map<String, NemoRender> renders = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Deque<NemoStreamPlan> plans = new ArrayDeque<>();
  private final AtomicLong ids = new AtomicLong(5529798706024415232L);
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private volatile NemoStreamPlan defaultPlan = NemoStreamPlan.normal();
  private volatile RenderLayout renderLayout = RenderLayout.TOP_LEVEL;
  private volatile int renderPolls = 2;
  private final AtomicInteger failingRenders = new AtomicInteger();
  private volatile boolean exportBlocked;
  private volatile long uploadLimit = 50L * 1024 * 1024;
  private volatile double startCredits = ANON_CREDITS;
  private HttpServer server;

  private record Token(String value, String clientId, String userId, long expiresAt) {}

  private static final class Account {
    double available;
    double frozen;
    double consumed;

    Account(double available) {
      this.available = available;
    }
  }

  private NemoVideoSimulator(Vertx vertx, Options options) {
    this.vertx = vertx;
    this.options = options;
  }

  public static Future<NemoVideoSimulator> start(Vertx vertx, Options options) {
    NemoVideoSimulator sim = new NemoVideoSimulator(vertx, options);
    return Loopback.listen(vertx, sim.router(), options.port()).map(s -> {
      sim.server = s;
      return sim;
    });
  }

  /** Runs the simulator on the given port (default 8791) with human-scale timings, for demos and the bench. */
  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8791;
    Vertx vertx = Vertx.vertx();
    start(vertx, new Options(port, 4000, 1000, 3000, Duration.ofDays(7), 10))
        .onSuccess(s -> System.out.println("NemoVideo simulator on " + s.baseUrl() + " (NEMO_API_URL)"))
        .onFailure(e -> {
          e.printStackTrace();
          vertx.close();
        });
  }

  public String baseUrl() {
    return Loopback.baseUrl(server);
  }

  public Faults faults() {
    return faults;
  }

  /** One spend per message sent to {@code /run_sse}, keyed by session id. */
  public SpendLedger spends() {
    return spends;
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  // ---- test controls -------------------------------------------------------------------------

  /** How the agent answers the next message (queued, one per message); else the default plan. */
  public NemoVideoSimulator nextPlan(NemoStreamPlan plan) {
    synchronized (plans) {
      plans.add(plan);
    }
    return this;
  }

  public NemoVideoSimulator defaultPlan(NemoStreamPlan plan) {
    defaultPlan = plan;
    return this;
  }

  /** Messages received on {@code /run_sse} for a session: the proof that nothing was sent twice. */
  public int messages(String sessionId) {
    NemoSession s = sessions.get(sessionId);
    return s == null ? 0 : s.messages;
  }

  /** Every session id, in no order. */
  public Set<String> sessionIds() {
    return Set.copyOf(sessions.keySet());
  }

  /** The state a session reports now. */
  public JsonObject state(String sessionId) {
    NemoSession s = sessions.get(sessionId);
    return s == null ? null : s.state();
  }

  /** Every token issued so far stops working now (the next call answers 1001). */
  public void expireTokens() {
    tokens.replaceAll((k, t) -> new Token(t.value(), t.clientId(), t.userId(), 0));
  }

  public int tokensIssued() {
    return tokensIssued.get();
  }

  /** Requests received per route, e.g. {@code "GET /api/state"}. */
  public int calls(String route) {
    AtomicInteger n = calls.get(route);
    return n == null ? 0 : n.get();
  }

  /** Credits a new anonymous account starts with; and sets every existing account's balance. */
  public void credits(double available) {
    startCredits = available;
    accounts.values().forEach(a -> a.available = available);
  }

  public void renderLayout(RenderLayout layout) {
    renderLayout = layout;
  }

  /** Status reads a render needs before it finishes. */
  public void renderPolls(int polls) {
    renderPolls = polls;
  }

  /** The next {@code n} render jobs end {@code failed}. */
  public void failRenders(int n) {
    failingRenders.set(n);
  }

  /** Render submits answer 402, as for a free plan. */
  public void exportBlocked(boolean blocked) {
    exportBlocked = blocked;
  }

  public void uploadLimit(long bytes) {
    uploadLimit = bytes;
  }

  /** Render jobs submitted, failed ones included. */
  public int renderSubmits() {
    return renders.size();
  }

  // ---- routes --------------------------------------------------------------------------------

  private Router router() {
    Router r = Router.router(vertx);
    r.route().handler(BodyHandler.create().setBodyLimit(200L * 1024 * 1024).setDeleteUploadedFilesOnEnd(true));
    r.post("/api/auth/anonymous-token").handler(rc -> guarded(rc, "POST /api/auth/anonymous-token", this::anonymousToken));
    r.post("/api/tasks/me/with-session/nemo_agent").handler(rc -> authed(rc, "POST /api/tasks", this::createSession));
    r.post("/api/auth/claim-token").handler(rc -> authed(rc, "POST /api/auth/claim-token", this::claimToken));
    r.post("/run_sse").handler(rc -> authed(rc, "POST /run_sse", this::runSse));
    r.post("/api/upload-video/nemo_agent/me/:sid").handler(rc -> authed(rc, "POST /api/upload-video", this::upload));
    r.get("/api/credits/balance/simple").handler(rc -> authed(rc, "GET /api/credits", this::credits));
    r.get("/api/state/nemo_agent/me/:sid/latest").handler(rc -> authed(rc, "GET /api/state", this::stateRoute));
    r.post("/api/render/proxy/lambda").handler(rc -> authed(rc, "POST /api/render/proxy/lambda", this::renderSubmit));
    r.get("/api/render/proxy/lambda/:id").handler(rc -> authed(rc, "GET /api/render/proxy/lambda", this::renderStatus));
    r.get("/api/render/proxy/:id/download").handler(rc -> authed(rc, "GET /api/render/proxy/download", this::download));
    r.get("/render-result/:file").handler(this::download);
    return r;
  }

  private interface Work {
    void handle(RoutingContext rc, Token token, Faults.Fault fault);
  }

  private void guarded(RoutingContext rc, String route, Work work) {
    calls.computeIfAbsent(route, k -> new AtomicInteger()).incrementAndGet();
    Faults.Fault fault = faults.take(route);
    if (fault != null && Faults.before(fault, rc)) {
      return;
    }
    work.handle(rc, null, fault);
  }

  /** Bearer token and the three attribution headers on every call but the token request. */
  private void authed(RoutingContext rc, String route, Work work) {
    guarded(rc, route, (ctx, none, fault) -> {
      String auth = ctx.request().getHeader("Authorization");
      Token token = auth != null && auth.startsWith("Bearer ") ? tokens.get(auth.substring(7)) : null;
      if (token == null || token.expiresAt() <= System.currentTimeMillis()) {
        json(ctx, 401, error(1001, token == null ? "invalid token" : "token has expired"));
        return;
      }
      if (!attributed(ctx)) {
        if (route.startsWith("POST /api/render")) {
          json(ctx, 402, new JsonObject().put("success", false).put("error", "export requires a subscription"));
        } else {
          json(ctx, 401, error(1001, "invalid or expired: missing X-Skill-Source/-Version/-Platform"));
        }
        return;
      }
      work.handle(ctx, token, fault);
    });
  }

  private static boolean attributed(RoutingContext rc) {
    for (String h : List.of("X-Skill-Source", "X-Skill-Version", "X-Skill-Platform")) {
      String v = rc.request().getHeader(h);
      if (v == null || v.isBlank()) return false;
    }
    return true;
  }

  private void anonymousToken(RoutingContext rc, Token none, Faults.Fault fault) {
    String clientId = rc.request().getHeader("X-Client-Id");
    if (clientId == null || clientId.isBlank()) {
      json(rc, 400, error(400, "missing X-Client-Id header"));
      return;
    }
    long now = System.currentTimeMillis();
    Token held = clientTokens.get(clientId) == null ? null : tokens.get(clientTokens.get(clientId));
    if (held != null && held.expiresAt() > now) {
      rc.response().putHeader("Retry-After", "30");
      json(rc, 429, error(429, "rate limit: 1 anonymous token per client per 7 days"));
      return;
    }
    // every test client is 127.0.0.1: the per-IP limit counts new clients
    if (held == null && tokensIssued.get() >= options.ipTokenLimit()) {
      rc.response().putHeader("Retry-After", "30");
      json(rc, 429, error(429, "rate limit: " + options.ipTokenLimit() + " anonymous tokens per IP per 7 days"));
      return;
    }
    // a new token for the same client keeps its user (and balance)
    String userId = held != null ? held.userId() : "anon_" + UUID.randomUUID().toString().substring(0, 8);
    Token token = new Token("nmv_usr_" + UUID.randomUUID().toString().replace("-", ""), clientId, userId,
        now + options.tokenTtl().toMillis());
    tokens.put(token.value(), token);
    clientTokens.put(clientId, token.value());
    tokensIssued.incrementAndGet();
    Account account = accounts.computeIfAbsent(userId, u -> new Account(startCredits));
    finish(rc, fault, 200, ok(new JsonObject().put("token", token.value()).put("credits", account.available)
        .put("user_id", userId).put("expires_at", java.time.Instant.ofEpochMilli(token.expiresAt()).toString())));
  }

  private void createSession(RoutingContext rc, Token token, Faults.Fault fault) {
    JsonObject body = body(rc);
    String sid = String.valueOf(ids.incrementAndGet());
    String taskId = "task_" + UUID.randomUUID().toString().substring(0, 12);
    sessions.put(sid, new NemoSession(sid, taskId, token.userId(), body.getString("language", "en")));
    finish(rc, fault, 200, ok(new JsonObject().put("task_id", taskId).put("session_id", sid)));
  }

  private void claimToken(RoutingContext rc, Token token, Faults.Fault fault) {
    JsonObject body = body(rc);
    NemoSession s = owned(token, body.getString("session_id"));
    if (s == null || !s.taskId.equals(body.getString("task_id"))) {
      json(rc, 200, error(1002, "session not found"));
      return;
    }
    finish(rc, fault, 200, ok(new JsonObject().put("claim_token", "clm_" + UUID.randomUUID().toString().replace("-", ""))
        .put("expires_in", 604800)));
  }

  private void credits(RoutingContext rc, Token token, Faults.Fault fault) {
    Account a = accounts.computeIfAbsent(token.userId(), u -> new Account(startCredits));
    finish(rc, fault, 200, ok(new JsonObject().put("available", a.available).put("frozen", a.frozen)
        .put("total", a.available + a.frozen)));
  }

  private void stateRoute(RoutingContext rc, Token token, Faults.Fault fault) {
    NemoSession s = owned(token, rc.pathParam("sid"));
    if (s == null) {
      json(rc, 200, error(1002, "session not found"));
      return;
    }
    finish(rc, fault, 200, ok(new JsonObject().put("state", s.state())));
  }

  private void upload(RoutingContext rc, Token token, Faults.Fault fault) {
    NemoSession s = owned(token, rc.pathParam("sid"));
    if (s == null) {
      json(rc, 200, error(1002, "session not found"));
      return;
    }
    JsonArray files = new JsonArray();
    String type = rc.request().getHeader("Content-Type");
    if (type != null && type.startsWith("application/json")) {
      JsonObject body = body(rc);
      if (!"url".equals(body.getString("source_type")) || body.getJsonArray("urls", new JsonArray()).isEmpty()) {
        json(rc, 200, error(4001, "send {\"urls\":[…],\"source_type\":\"url\"}"));
        return;
      }
      for (Object u : body.getJsonArray("urls")) {
        String name = String.valueOf(u).replaceAll("[?#].*$", "").replaceAll(".*/", "");
        if (!FORMATS.contains(extension(name))) {
          json(rc, 200, error(4001, "unsupported file: " + name));
          return;
        }
        files.add(fileInfo(name, String.valueOf(u), 0));
      }
    } else {
      List<FileUpload> uploads = rc.fileUploads();
      if (uploads.isEmpty() || uploads.stream().anyMatch(f -> !"files".equals(f.name()))) {
        json(rc, 200, error(4001, "send the files as multipart field 'files'"));
        return;
      }
      for (FileUpload f : uploads) {
        if (!FORMATS.contains(extension(f.fileName()))) {
          json(rc, 200, error(4001, "unsupported file: " + f.fileName()));
          return;
        }
        if (f.size() > uploadLimit) {
          json(rc, 200, error(4002, "file too large: " + f.fileName()));
          return;
        }
        files.add(fileInfo(f.fileName(), baseUrl() + "/render-result/upload_" + UUID.randomUUID() + "_" + f.fileName(),
            f.size()));
      }
    }
    files.forEach(f -> s.videoInfos.add(((JsonObject) f).copy()));
    finish(rc, fault, 200, ok(new JsonObject().put("files", files).put("session_state_applied", true)));
  }

  private static JsonObject fileInfo(String name, String url, long size) {
    String ext = extension(name);
    String kind = Set.of("mp4", "mov", "avi", "webm", "mkv").contains(ext) ? "video"
        : Set.of("mp3", "wav", "m4a", "aac").contains(ext) ? "audio" : "image";
    return new JsonObject().put("filename", name).put("file_type", kind).put("cdn_url", url).put("size", size)
        .put("hash", Integer.toHexString(url.hashCode()));
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  // ---- the agent turn ------------------------------------------------------------------------

  private void runSse(RoutingContext rc, Token token, Faults.Fault fault) {
    JsonObject body = body(rc);
    String text = textOf(body);
    if (!APP.equals(body.getString("app_name")) || text == null || text.isBlank()) {
      json(rc, 400, error(400, "app_name must be nemo_agent and new_message.parts[].text must carry the message"));
      return;
    }
    NemoSession s = owned(token, body.getString("session_id"));
    if (s == null) {
      json(rc, 200, error(1002, "session not found"));
      return;
    }
    Account account = accounts.computeIfAbsent(token.userId(), u -> new Account(startCredits));
    if (account.available < MESSAGE_COST) {
      json(rc, 200, error(2001, "insufficient credits"));
      return;
    }
    NemoStreamPlan plan;
    synchronized (plans) {
      plan = plans.isEmpty() ? defaultPlan : plans.poll();
    }
    // received: this message spends, whatever happens to the connection from here on
    s.messages++;
    spends.record("POST /run_sse", s.id, MESSAGE_COST);
    account.available -= MESSAGE_COST;
    account.frozen += MESSAGE_COST;
    NemoSseWriter out = new NemoSseWriter(rc.response(), plan.layout());
    if (fault instanceof Faults.ResetAfter) {
      rc.request().connection().close();
    } else {
      rc.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
          .putHeader("Cache-Control", "no-cache");
      rc.response().writeHead();
    }
    new NemoTurn(vertx, options, s, plan, out, text, rc.request().connection()).run()
        .onComplete(ar -> {
          account.frozen -= MESSAGE_COST;
          if (ar.succeeded() && ar.result()) {
            account.consumed += MESSAGE_COST;
          } else {
            account.available += MESSAGE_COST; // a failed turn is refunded
          }
        });
  }

  private static String textOf(JsonObject body) {
    JsonObject msg = body.getJsonObject("new_message");
    if (msg == null) return null;
    StringBuilder sb = new StringBuilder();
    for (Object p : msg.getJsonArray("parts", new JsonArray())) {
      if (p instanceof JsonObject part && part.getString("text") != null) {
        sb.append(part.getString("text"));
      }
    }
    return sb.toString();
  }

  // ---- render proxy --------------------------------------------------------------------------

  private void renderSubmit(RoutingContext rc, Token token, Faults.Fault fault) {
    if (exportBlocked) {
      json(rc, 402, new JsonObject().put("success", false).put("error", "export is not available on the free plan"));
      return;
    }
    JsonObject body = body(rc);
    String id = body.getString("id");
    NemoSession s = owned(token, body.getString("sessionId"));
    if (id == null || !id.matches("render_\\d+")) {
      json(rc, 400, new JsonObject().put("success", false).put("error", "id must be render_<timestamp>"));
      return;
    }
    if (renders.containsKey(id)) {
      json(rc, 400, new JsonObject().put("success", false).put("error", "duplicate render id " + id));
      return;
    }
    if (s == null) {
      json(rc, 200, error(1002, "session not found"));
      return;
    }
    JsonObject draft = body.getJsonObject("draft");
    if (draft == null || draft.getJsonArray("t", new JsonArray()).stream()
        .noneMatch(t -> !((JsonObject) t).getJsonArray("sg", new JsonArray()).isEmpty())) {
      json(rc, 400, new JsonObject().put("success", false).put("error", "empty draft: nothing to export"));
      return;
    }
    boolean fails = failingRenders.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    NemoRender render = new NemoRender(id, s.id, fails, renderPolls);
    renders.put(id, render);
    finish(rc, fault, 200, new JsonObject().put("success", true)
        .put("data", new JsonObject().put("id", id).put("status", "pending").put("progress", 5)).encode());
  }

  private void renderStatus(RoutingContext rc, Token token, Faults.Fault fault) {
    NemoRender render = renders.get(rc.pathParam("id"));
    if (render == null || owned(token, render.sessionId) == null) {
      json(rc, 404, new JsonObject().put("success", false).put("error", "render not found"));
      return;
    }
    render.polls++;
    String status = render.status();
    String url = baseUrl() + "/render-result/" + render.id + ".mp4";
    JsonObject out;
    switch (renderLayout) {
      case DATA_OUTPUT_URL -> {
        JsonObject data = new JsonObject().put("id", render.id).put("status", status).put("progress", render.progress());
        if ("completed".equals(status)) data.put("outputUrl", url);
        out = new JsonObject().put("success", true).put("data", data);
      }
      case DATA_OUTPUT -> {
        JsonObject data = new JsonObject().put("render_id", render.id).put("status", status);
        if ("completed".equals(status)) data.put("output", new JsonObject().put("url", url).put("duration", 10.0));
        if ("failed".equals(status)) data.put("error", "render failed: lambda timeout");
        out = new JsonObject().put("success", true).put("data", data);
      }
      default -> {
        out = new JsonObject().put("id", render.id).put("status", status).put("progress", render.progress());
        if ("completed".equals(status)) out.put("output", new JsonObject().put("url", url));
        if ("failed".equals(status)) out.put("error", "render failed: lambda timeout");
      }
    }
    finish(rc, fault, 200, out.encode());
  }

  /** A few bytes with an MP4 {@code ftyp} box, so a sniffer sees a video. */
  private void download(RoutingContext rc, Token token, Faults.Fault fault) {
    download(rc);
  }

  private void download(RoutingContext rc) {
    byte[] head = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
    rc.response().putHeader("Content-Type", "video/mp4").end(Buffer.buffer(head));
  }

  // ---- helpers -------------------------------------------------------------------------------

  private NemoSession owned(Token token, String sid) {
    NemoSession s = sid == null ? null : sessions.get(sid);
    return s != null && s.userId.equals(token.userId()) ? s : null;
  }

  private static JsonObject body(RoutingContext rc) {
    try {
      JsonObject b = rc.body().asJsonObject();
      return b == null ? new JsonObject() : b;
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  private static String ok(JsonObject data) {
    return new JsonObject().put("code", 0).put("data", data).encode();
  }

  private static JsonObject error(int code, String message) {
    return new JsonObject().put("code", code).put("message", message);
  }

  private void finish(RoutingContext rc, Faults.Fault fault, int status, String json) {
    Faults.finish(fault, rc, vertx, status, json);
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
