package dev.skillhost.simulators.chatart;

import dev.skillhost.simulators.Faults;
import dev.skillhost.simulators.Loopback;
import dev.skillhost.simulators.SpendLedger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ChatArt's backend as the official skill's code talks to it (shared/protocols/chatart.md): device
 * login, the {@code {code, message, data}} envelope, {@code Xskill-Authorization} + {@code
 * Identity-Id} auth, STS + signed OSS PutObject, typed generate calls, GET-with-body polls with
 * status 0/1/2, credits, history, the error codes 4003/4004/4007/4100/6001, and a per-identity rate
 * limit answering 429 with Retry-After (ChatArt documents none; ours is configurable). Faults are
 * injected per route ({@code "POST /web/video/generate-video"}); every generate call is counted in
 * the spend ledger by identity and request body. Binds 127.0.0.1 only.
 */
public final class ChatArtSimulator {

  public static final String VIDEO_SUBMIT = "POST /web/video/generate-video";
  public static final String VIDEO_POLL = "GET /web/video/get-video-task";
  public static final String IMAGE_SUBMIT = "POST /web/art/create";
  public static final String IMAGE_POLL = "GET /web/art/get-draw-task";
  public static final String POLICY = "POST /web/file/get-upload-policy";

  private final Vertx vertx;
  private final Faults faults = new Faults();
  private final SpendLedger spends = new SpendLedger();
  private final SimOss oss = new SimOss();
  private final SimLogin login = new SimLogin();
  private final SimRate rate = new SimRate();
  private final Map<String, SimAccount> accounts = new ConcurrentHashMap<>();
  private final Map<String, SimTask> tasks = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger(100000);
  private volatile int pollsUntilDone = 2;
  private volatile int maxRunning = 20;
  private volatile String failNext;
  private volatile String rejectNextCode;
  private volatile double signupCredits = 1000;
  private HttpServer server;
  private String base;

  private ChatArtSimulator(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Options: {@code port} (0 = any), {@code polls_until_done}, {@code rate_per_minute}. */
  public static Future<ChatArtSimulator> start(Vertx vertx, JsonObject options) {
    ChatArtSimulator sim = new ChatArtSimulator(vertx);
    JsonObject o = options == null ? new JsonObject() : options;
    sim.pollsUntilDone = o.getInteger("polls_until_done", 2);
    sim.rate.limit(o.getInteger("rate_per_minute", 600), 60_000);
    return Loopback.listen(vertx, sim.router(), o.getInteger("port", 0)).map(s -> {
      sim.server = s;
      sim.base = Loopback.baseUrl(s);
      return sim;
    });
  }

  public String baseUrl() {
    return base;
  }

  /**
   * The {@code oss_endpoint} a plugin puts objects to: this simulator, path-style per bucket at the
   * root ({@code /{bucket}/{key}}), as the SDK addresses an endpoint. {@code /oss/{bucket}} works too.
   */
  public String ossEndpoint() {
    return base + "/{bucket}";
  }

  /** Where this simulator serves uploads as the own CDN does: {@code <cdnBase>chat-skill-upload/…}. */
  public String cdnBase() {
    return base + "/";
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

  /** An account usable with CHATARTPRO_UID / CHATARTPRO_API_KEY. */
  public SimAccount account(String identityId, String apiKey, double credits) {
    SimAccount a = new SimAccount(identityId, "m" + ids.incrementAndGet(), apiKey, identityId + "@example.test", credits);
    accounts.put(apiKey, a);
    return a;
  }

  public SimAccount accountByIdentity(String identityId) {
    return accounts.values().stream().filter(a -> a.identityId.equals(identityId)).findFirst().orElse(null);
  }

  /** Tasks answer status 0 this many looks, then 1. */
  public void pollsUntilDone(int n) {
    pollsUntilDone = n;
  }

  /** At most this many unfinished tasks per identity; one more is refused with 4007. */
  public void maxRunning(int n) {
    maxRunning = n;
  }

  /** The next generation accepted will end with status 2 and this error. */
  public void failNextTask(String error) {
    failNext = error;
  }

  /** The next generate call is answered with this envelope code (e.g. 6001) and creates nothing. */
  public void rejectNextSubmit(String code) {
    rejectNextCode = code;
  }

  public void rateLimit(int permits, long windowMs) {
    rate.limit(permits, windowMs);
  }

  public int rateLimited() {
    return rate.refused();
  }

  /** The device code of the last login started. */
  public String lastDeviceCode() {
    SimLogin.Device d = login.last;
    return d == null ? null : d.code;
  }

  public void deny(String deviceCode) {
    login.get(deviceCode).state = SimLogin.State.DENIED;
  }

  public void expire(String deviceCode) {
    login.get(deviceCode).state = SimLogin.State.EXPIRED;
  }

  public int requests(String route) {
    AtomicInteger n = requests.get(route);
    return n == null ? 0 : n.get();
  }

  public int uploadedObjects() {
    return oss.count();
  }

  public int refusedUploads() {
    return oss.refusedPuts;
  }

  // ---- routes ----

  private Router router() {
    Router r = Router.router(vertx);
    r.route().handler(BodyHandler.create().setBodyLimit(64L * 1024 * 1024));
    r.route().handler(rc -> {
      requests.computeIfAbsent(rc.request().method() + " " + rc.request().path(), k -> new AtomicInteger()).incrementAndGet();
      rc.next();
    });
    r.post("/web/xskill/init").handler(this::init);
    r.post("/web/xskill/token").handler(this::token);
    r.get("/device").handler(this::device);
    r.post("/user/get-unbind-device").handler(rc -> authed(rc, "POST /user/get-unbind-device", a -> {
      a.revoked = true;
      ok(rc, 1053, "unbind success", null); // the official client reads an int 1053 as success, msg otherwise
    }));
    r.post("/web/file/get-upload-policy").handler(rc -> authed(rc, POLICY, a -> ok(rc, oss.issue())));
    r.post("/web/video/generate-video").handler(rc -> authed(rc, VIDEO_SUBMIT, a -> submit(rc, a, false)));
    r.post("/web/art/create").handler(rc -> authed(rc, IMAGE_SUBMIT, a -> submit(rc, a, true)));
    r.get("/web/video/get-video-task").handler(rc -> authed(rc, VIDEO_POLL, a -> poll(rc, a, false)));
    r.get("/web/art/get-draw-task").handler(rc -> authed(rc, IMAGE_POLL, a -> poll(rc, a, true)));
    r.post("/web/member/user-diamond").handler(rc -> authed(rc, "POST /web/member/user-diamond",
        a -> ok(rc, new JsonObject().put("diamond", a.credits()))));
    r.get("/web/video/history").handler(rc -> authed(rc, "GET /web/video/history", a -> history(rc, a, false)));
    r.get("/web/art/history").handler(rc -> authed(rc, "GET /web/art/history", a -> history(rc, a, true)));
    r.get("/files/:name").handler(this::result);
    oss.mount(r);
    return r;
  }

  private void init(RoutingContext rc) {
    JsonObject body = json(rc);
    String clientId = body == null ? null : body.getString("identity_id");
    if (clientId == null || clientId.isBlank()) {
      ok(rc, 4003, "identity_id is required", null);
      return;
    }
    SimLogin.Device d = login.init(clientId, 600);
    ok(rc, new JsonObject().put("identity_id", d.code)
        .put("verification_uri", base + "/device").put("verification_uri_complete", base + "/device?code=" + d.code)
        .put("token_endpoint", base + "/web/xskill/token").put("interval", 1).put("expires_in", 600));
  }

  /** The user opening the link and signing in: a new account is made and bound to the device. */
  private void device(RoutingContext rc) {
    SimLogin.Device d = login.get(rc.request().getParam("code"));
    if (d == null || login.look(d) != SimLogin.State.PENDING) {
      rc.response().setStatusCode(404).end("This login link is not valid any more.");
      return;
    }
    String n = String.valueOf(ids.incrementAndGet());
    d.account = account("id_" + n, "sk-chatart-" + UUID.randomUUID().toString().replace("-", ""), signupCredits);
    d.state = SimLogin.State.APPROVED;
    rc.response().putHeader("Content-Type", "text/html; charset=utf-8").end("<p>Signed in to ChatArt. You can close this page.</p>");
  }

  private void token(RoutingContext rc) {
    JsonObject body = json(rc);
    SimLogin.Device d = login.get(body == null ? null : body.getString("identity_id"));
    if (d == null) {
      rc.response().setStatusCode(404).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("code", 404).put("message", "device code not found").put("msg", "device code not found").encode());
      return;
    }
    switch (login.look(d)) {
      case DENIED -> status(rc, 403, "authorization denied");
      case EXPIRED -> status(rc, 410, "device code expired");
      case DELIVERED -> status(rc, 404, "device code not found");
      case PENDING -> status(rc, 202, "authorization_pending");
      case APPROVED -> {
        d.state = SimLogin.State.DELIVERED;
        SimAccount a = d.account;
        ok(rc, new JsonObject().put("member_id", a.memberId).put("uid", a.memberId).put("api_key", a.apiKey)
            .put("api_keys", new JsonArray().add(a.apiKey))
            .put("identity_id", a.identityId).put("token", "tok_" + UUID.randomUUID()).put("email", a.email)
            .put("name", a.identityId).put("team_id", null).put("role", "owner").put("charge_type", "credit")
            .put("remain_credit", a.credits()));
      }
    }
  }

  /** Auth, rate limit and injected faults of the kinds that need no work, then the handler. */
  private void authed(RoutingContext rc, String route, java.util.function.Consumer<SimAccount> handler) {
    String auth = rc.request().getHeader("Xskill-Authorization");
    SimAccount a = auth == null || !auth.startsWith("Bearer ") ? null : accounts.get(auth.substring(7));
    if (a == null || a.revoked || !a.identityId.equals(rc.request().getHeader("Identity-Id"))) {
      rc.response().setStatusCode(401).putHeader("Content-Type", "application/json")
          .end(envelope(401, "Unauthorized, please log in again", null).encode());
      return;
    }
    long wait = rate.take(a.identityId);
    if (wait > 0) {
      rc.response().setStatusCode(429).putHeader("Retry-After", String.valueOf(Math.max(1, (wait + 999) / 1000)))
          .putHeader("Content-Type", "application/json")
          .end(envelope(429, "Too Many Requests", null).encode());
      return;
    }
    Faults.Fault fault = faults.take(route);
    if (fault != null && Faults.before(fault, rc)) {
      return;
    }
    rc.put("fault", fault);
    handler.accept(a);
  }

  private void submit(RoutingContext rc, SimAccount a, boolean image) {
    JsonObject body = json(rc);
    if (body == null) {
      ok(rc, 4001, "data format mismatch", null);
      return;
    }
    java.util.function.Predicate<String> uploaded = url -> oss.has(oss.keyOf(url, base));
    String problem = image ? SimChecks.image(body, uploaded) : SimChecks.video(body, uploaded);
    if (problem != null) {
      ok(rc, problem.substring(0, 4), problem.substring(5), null);
      return;
    }
    String reject = rejectNextCode;
    if (reject != null) {
      rejectNextCode = null;
      ok(rc, reject, "6001".equals(reject) ? "Security problem detected" : "Request refused", null);
      return;
    }
    double cost = image ? SimTask.imageCost(body) : SimTask.videoCost(body);
    if (cost < 0) {
      ok(rc, 4000, "parameter error: no price for this model/quality/duration", null);
      return;
    }
    long running = tasks.values().stream().filter(t -> t.owner == a && t.unfinished()).count();
    if (running >= maxRunning) {
      ok(rc, 4007, "An unfinished task exists, please wait", null);
      return;
    }
    if (!a.charge(cost)) {
      ok(rc, 4100, "Not enough credits", null);
      return;
    }
    String id = String.valueOf(ids.incrementAndGet());
    String fail = failNext;
    failNext = null;
    tasks.put(id, new SimTask(id, a, image, body, cost, pollsUntilDone, fail));
    spends.record(image ? IMAGE_SUBMIT : VIDEO_SUBMIT, a.identityId + ":" + sha256(body.encode()), cost);
    finish(rc, envelope(200, "success", new JsonObject().put("question_id", id)));
  }

  /** The GET-with-body poll: the id must come in the JSON body too, as the official client sends it. */
  private void poll(RoutingContext rc, SimAccount a, boolean image) {
    JsonObject body = json(rc);
    String id = body == null ? null : String.valueOf(body.getValue("question_id"));
    if (body == null || body.getValue("question_id") == null || !id.equals(rc.request().getParam("question_id"))) {
      ok(rc, 4003, "required parameter null: question_id (body)", null);
      return;
    }
    SimTask t = tasks.get(id);
    if (t == null || t.owner != a || t.image != image) {
      ok(rc, 4004, "Resource not found", null);
      return;
    }
    finish(rc, envelope(200, "success", t.look(base)));
  }

  private void history(RoutingContext rc, SimAccount a, boolean image) {
    JsonObject body = json(rc);
    if (body == null || !(body.getValue("page") instanceof String) || !(body.getValue("per_page") instanceof String)) {
      ok(rc, 4001, "data format mismatch: page and per_page are strings", null);
      return;
    }
    int page = Integer.parseInt(body.getString("page"));
    int per = Integer.parseInt(body.getString("per_page"));
    List<SimTask> mine = tasks.values().stream().filter(t -> t.owner == a && t.image == image)
        .sorted((x, y) -> Integer.compare(Integer.parseInt(y.id), Integer.parseInt(x.id))).toList();
    JsonArray data = new JsonArray();
    mine.stream().skip((long) (page - 1) * per).limit(per).forEach(t -> data.add(t.historyEntry(base)));
    finish(rc, envelope(200, "success", new JsonObject().put("data", data).put("total", mine.size()).put("current_page", page)));
  }

  private void result(RoutingContext rc) {
    String name = rc.pathParam("name");
    String id = name.replaceAll("(-\\d+)?\\.(mp4|png)$", "");
    if (!tasks.containsKey(id)) {
      rc.response().setStatusCode(404).end();
      return;
    }
    boolean png = name.endsWith(".png");
    rc.response().putHeader("Content-Type", png ? "image/png" : "video/mp4").end(png ? SimMedia.png() : SimMedia.mp4());
  }

  // ---- envelope ----

  private void finish(RoutingContext rc, JsonObject json) {
    Faults.Fault fault = rc.get("fault");
    Faults.finish(fault, rc, vertx, 200, json.encode());
  }

  private void ok(RoutingContext rc, JsonObject data) {
    finish(rc, envelope(200, "success", data));
  }

  private void ok(RoutingContext rc, Object code, String message, Object data) {
    finish(rc, envelope(code, message, data));
  }

  /**
   * {@code {code, message, data}}; codes are JSON integers, 200 as every other (a numeric string
   * given here is sent as its number), and a refusal carries its text in {@code msg} too, which is
   * what the official client prints on a failed unbind.
   */
  static JsonObject envelope(Object code, String message, Object data) {
    Object c = code instanceof String s && s.matches("\\d{1,9}") ? Integer.valueOf(s) : code;
    JsonObject json = new JsonObject().put("code", c).put("message", message);
    if (!Integer.valueOf(200).equals(c)) {
      json.put("msg", message);
    }
    return json.put("data", data);
  }

  private static void status(RoutingContext rc, int status, String message) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(envelope(status, message, null).encode());
  }

  private static JsonObject json(RoutingContext rc) {
    Buffer b = rc.body().buffer();
    if (b == null || b.length() == 0) {
      return null;
    }
    try {
      return b.toJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs the simulator on a port: {@code ChatArtSimulator [port] [identity api_key credits]}. */
  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 18701;
    start(vertx, new JsonObject().put("port", port)).onSuccess(sim -> {
      if (args.length >= 3) {
        sim.account(args[1], args[2], args.length > 3 ? Double.parseDouble(args[3]) : 1000);
      }
      System.out.println("ChatArt simulator on " + sim.baseUrl() + " (oss_endpoint " + sim.ossEndpoint() + ")");
    }).onFailure(e -> {
      e.printStackTrace();
      vertx.close();
    });
  }
}
