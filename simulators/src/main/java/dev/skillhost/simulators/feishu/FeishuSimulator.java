package dev.skillhost.simulators.feishu;

import dev.skillhost.simulators.Faults;
import dev.skillhost.simulators.Loopback;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The Feishu Open API endpoints a bot uses to push a result into a chat, as LibTV's
 * {@code feishu_send_video.py} calls them (shared/protocols/libtv.md §6): the app's tenant access
 * token, file and image upload (multipart), and the send-message call with its {@code uuid}
 * dedupe. Envelope {@code {code, msg, data}}; the token endpoint answers its fields at top level.
 * Token expiry (99991663), a missing token (99991661), missing scopes (99991672), a bot outside the
 * chat (230002), per-app rate limits (HTTP 429, code 99991400, {@code x-ogw-ratelimit-reset}) and
 * the shared {@link Faults} per route. A ledger keeps every message per chat. 127.0.0.1 only.
 */
public final class FeishuSimulator {

  public static final String TOKEN = "POST /open-apis/auth/v3/tenant_access_token/internal";
  public static final String FILES = "POST /open-apis/im/v1/files";
  public static final String IMAGES = "POST /open-apis/im/v1/images";
  public static final String MESSAGES = "POST /open-apis/im/v1/messages";

  static final int MB = 1024 * 1024;
  private static final Set<String> ID_TYPES = Set.of("open_id", "user_id", "union_id", "email", "chat_id");

  private final Vertx vertx;
  private final Clock clock;
  private final Faults faults = new Faults();
  private final FeishuTokens tokens;
  private final FeishuLedger ledger;
  private final FeishuRate rate = new FeishuRate();
  private final FeishuUploads uploads;
  private final Set<String> chats = ConcurrentHashMap.newKeySet();
  private final Set<String> users = ConcurrentHashMap.newKeySet();
  private final Map<String, String> deniedScopes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private volatile boolean anyReceiver;
  private HttpServer server;
  private String base;
  private String uploadsDir;

  private FeishuSimulator(Vertx vertx, Clock clock, JsonObject o) {
    this.vertx = vertx;
    this.clock = clock;
    this.tokens = new FeishuTokens(clock, Duration.ofSeconds(o.getLong("token_ttl_seconds", 7200L)));
    this.ledger = new FeishuLedger(Duration.ofSeconds(o.getLong("uuid_window_seconds", 3600L)));
    this.uploads = new FeishuUploads(vertx);
  }

  /**
   * Options: {@code port} (0 = any), {@code token_ttl_seconds} (7200), {@code uuid_window_seconds}
   * (3600), {@code messages_per_second} (50, Feishu's documented limit), {@code max_file_bytes}
   * (30 MB), {@code max_image_bytes} (10 MB), {@code app_id} + {@code app_secret} (an app to
   * register), {@code chats} (chat ids the bot is in), {@code any_receiver} (accept every chat and user).
   */
  public static Future<FeishuSimulator> start(Vertx vertx, JsonObject options) {
    JsonObject o = options == null ? new JsonObject() : options;
    FeishuSimulator sim = new FeishuSimulator(vertx, Clock.systemUTC(), o);
    if (o.getString("app_id") != null) {
      sim.app(o.getString("app_id"), o.getString("app_secret", ""));
    }
    o.getJsonArray("chats", new JsonArray()).forEach(c -> sim.chat(String.valueOf(c)));
    sim.anyReceiver = o.getBoolean("any_receiver", false);
    sim.uploads.limits(o.getLong("max_file_bytes", 30L * MB), o.getLong("max_image_bytes", 10L * MB));
    sim.rate.limit(MESSAGES, o.getInteger("messages_per_second", 50), 1000);
    return vertx.fileSystem().createTempDirectory("feishu-sim-uploads").compose(dir -> {
      sim.uploadsDir = dir;
      return Loopback.listen(vertx, sim.router(), o.getInteger("port", 0));
    }).map(s -> {
      sim.server = s;
      sim.base = Loopback.baseUrl(s);
      return sim;
    });
  }

  public String baseUrl() {
    return base;
  }

  public Faults faults() {
    return faults;
  }

  public Future<Void> close() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> uploadsDir == null ? Future.succeededFuture()
        : vertx.fileSystem().deleteRecursive(uploadsDir).recover(e -> Future.succeededFuture()));
  }

  // ---- test controls ----

  /** Registers a self-built app that may fetch tokens with this secret. */
  public FeishuSimulator app(String appId, String appSecret) {
    tokens.app(appId, appSecret);
    return this;
  }

  /** A chat the bot is a member of (messages to other chat ids fail with 230002). */
  public FeishuSimulator chat(String chatId) {
    chats.add(chatId);
    return this;
  }

  /** A user (open_id, user_id, union_id or email) the bot may message. */
  public FeishuSimulator user(String id) {
    users.add(id);
    return this;
  }

  /** Tokens issued from now on live this long. */
  public void tokenTtl(Duration ttl) {
    tokens.ttl(ttl);
  }

  /** Ends every issued token now: the next call with one gets 99991663. */
  public void expireTokens() {
    tokens.expireAll();
  }

  /** Takes a scope away from the app: calls to {@code route} answer 99991672 naming it. */
  public void denyScope(String route, String scope) {
    deniedScopes.put(route, scope);
  }

  public void rateLimit(String route, int permits, long windowMs) {
    rate.limit(route, permits, windowMs);
  }

  public void uuidWindow(Duration window) {
    ledger.window(window);
  }

  /** Every message posted, in order. */
  public List<FeishuMessage> messages() {
    return ledger.all();
  }

  /** Messages posted in a chat (or to a receiver id as the request named it). */
  public List<FeishuMessage> messages(String chatOrReceiver) {
    return ledger.inChat(chatOrReceiver);
  }

  /** Sends that named a uuid already used within the window, and so posted nothing. */
  public int deduplicated() {
    return ledger.deduplicated();
  }

  public FeishuUpload file(String fileKey) {
    return uploads.file(fileKey);
  }

  public FeishuUpload image(String imageKey) {
    return uploads.image(imageKey);
  }

  public int tokensIssued() {
    return tokens.issued();
  }

  public int rateLimited() {
    return rate.refused();
  }

  /** Requests received on a route ({@link #MESSAGES}, …), faulted and refused ones included. */
  public int requests(String route) {
    AtomicInteger n = requests.get(route);
    return n == null ? 0 : n.get();
  }

  // ---- routes ----

  private Router router() {
    Router r = Router.router(vertx);
    r.route().handler(BodyHandler.create().setBodyLimit(64L * MB).setUploadsDirectory(uploadsDir)
        .setDeleteUploadedFilesOnEnd(true));
    r.route().handler(rc -> {
      requests.computeIfAbsent(rc.request().method() + " " + rc.request().path(), k -> new AtomicInteger())
          .incrementAndGet();
      rc.next();
    });
    r.post("/open-apis/auth/v3/tenant_access_token/internal").handler(this::token);
    r.post("/open-apis/im/v1/files").handler(rc -> api(rc, FILES, app -> uploads.file(rc)));
    r.post("/open-apis/im/v1/images").handler(rc -> api(rc, IMAGES, app -> uploads.image(rc)));
    r.post("/open-apis/im/v1/messages").handler(rc -> api(rc, MESSAGES, app -> send(rc, app)));
    return r;
  }

  private void token(RoutingContext rc) {
    Faults.Fault fault = faults.take(TOKEN);
    if (fault != null && Faults.before(fault, rc)) {
      return;
    }
    JsonObject body = json(rc);
    String appId = body == null ? null : body.getString("app_id");
    String secret = body == null ? null : body.getString("app_secret");
    if (appId == null || secret == null || appId.isBlank() || secret.isBlank()) {
      error(rc, new FeishuError(400, 10003, "invalid param"));
    } else if (!tokens.knows(appId)) {
      error(rc, new FeishuError(400, 10003, "invalid param: app_id not found"));
    } else if (!tokens.secretMatches(appId, secret)) {
      error(rc, new FeishuError(400, 10014, "app secret invalid"));
    } else {
      FeishuTokens.Token t = tokens.issue(appId);
      JsonObject answer = new JsonObject().put("code", 0).put("msg", "ok")
          .put("tenant_access_token", t.value()).put("expire", tokens.remainingSeconds(t));
      Faults.finish(fault, rc, vertx, 200, answer.encode());
    }
  }

  /** The gateway's checks (fault, token, scope, rate), then the endpoint's work and its envelope. */
  private void api(RoutingContext rc, String route, Function<String, Future<JsonObject>> work) {
    Faults.Fault fault = faults.take(route);
    if (fault != null && Faults.before(fault, rc)) {
      return;
    }
    Object who = tokens.check(rc.request().getHeader("Authorization"));
    if (who == FeishuTokens.Refusal.MISSING) {
      error(rc, new FeishuError(400, 99991661,
          "Missing access token for authorization. Please make a request with token attached."));
      return;
    }
    if (who == FeishuTokens.Refusal.INVALID) {
      error(rc, new FeishuError(400, 99991663,
          "Invalid access token for authorization. Please make a request with token attached."));
      return;
    }
    String appId = (String) who;
    String scope = deniedScopes.get(route);
    if (scope != null) {
      error(rc, new FeishuError(400, 99991672,
          "Access denied. One of the following scopes is required: [" + scope + "]."));
      return;
    }
    long waitMs = rate.take(appId, route, clock.millis());
    if (waitMs > 0) {
      rc.response().putHeader("x-ogw-ratelimit-limit", String.valueOf(FeishuRate.limitOf(rate, route)))
          .putHeader("x-ogw-ratelimit-reset", String.valueOf((waitMs + 999) / 1000));
      error(rc, new FeishuError(429, 99991400, "request trigger frequency limit"));
      return;
    }
    Future<JsonObject> done;
    try {
      done = work.apply(appId);
    } catch (FeishuError e) {
      done = Future.failedFuture(e);
    }
    done.onSuccess(data -> Faults.finish(fault, rc, vertx, 200,
            new JsonObject().put("code", 0).put("msg", "success").put("data", data).encode()))
        .onFailure(e -> error(rc, e instanceof FeishuError fe ? fe : new FeishuError(500, 1500, "internal error")));
  }

  private Future<JsonObject> send(RoutingContext rc, String appId) {
    String idType = rc.request().getParam("receive_id_type");
    if (idType == null || !ID_TYPES.contains(idType)) {
      throw FeishuError.field("receive_id_type must be one of " + ID_TYPES);
    }
    JsonObject body = json(rc);
    if (body == null) {
      throw FeishuError.message("the body is not a JSON object");
    }
    String receiveId = body.getString("receive_id");
    String msgType = body.getString("msg_type");
    String uuid = body.getString("uuid");
    if (receiveId == null || receiveId.isBlank() || msgType == null) {
      throw FeishuError.field("receive_id and msg_type are required");
    }
    if (uuid != null && uuid.length() > 50) {
      throw FeishuError.field("uuid is longer than 50 characters");
    }
    JsonObject content = content(body.getValue("content"));
    FeishuMessage earlier = ledger.earlier(appId, uuid, clock.millis());
    if (earlier != null) {
      return Future.succeededFuture(earlier.toJson(appId));
    }
    checkContent(msgType, content);
    String chatId = chatOf(idType, receiveId);
    FeishuMessage m = new FeishuMessage("om_" + key(), chatId, receiveId, msgType, content, uuid, clock.millis());
    ledger.record(appId, m, clock.millis());
    return Future.succeededFuture(m.toJson(appId));
  }

  private static JsonObject content(Object raw) {
    if (!(raw instanceof String s)) {
      throw FeishuError.message("content must be a JSON string");
    }
    try {
      return new JsonObject(s);
    } catch (DecodeException e) {
      throw FeishuError.message("content is not valid JSON");
    }
  }

  private void checkContent(String msgType, JsonObject c) {
    switch (msgType) {
      case "text":
        if (c.getString("text") == null || c.getString("text").isBlank()) {
          throw FeishuError.message("text content needs a text");
        }
        break;
      case "image":
        uploads.knownImage(c.getString("image_key"));
        break;
      case "file":
        uploads.knownFile(c.getString("file_key"));
        break;
      case "media":
        FeishuUpload video = uploads.knownFile(c.getString("file_key"));
        if (!"mp4".equals(video.fileType())) {
          throw FeishuError.message("a media message needs a file uploaded with file_type mp4");
        }
        if (c.getString("image_key") != null) {
          uploads.knownImage(c.getString("image_key"));
        }
        break;
      case "post":
      case "interactive":
        break;
      default:
        throw FeishuError.message("msg_type " + msgType + " is not supported here");
    }
  }

  /** The chat a message lands in; a user's is the bot's p2p chat with them. */
  private String chatOf(String idType, String receiveId) {
    if ("chat_id".equals(idType)) {
      if (!anyReceiver && !chats.contains(receiveId)) {
        throw new FeishuError(400, 230002, "Bot/User can NOT be out of the chat.");
      }
      return receiveId;
    }
    if (!anyReceiver && !users.contains(receiveId)) {
      throw new FeishuError(400, 230013, "Bot has NO availability to this user.");
    }
    return "oc_p2p_" + sha256(receiveId.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 24);
  }

  // ---- helpers ----

  private static JsonObject json(RoutingContext rc) {
    try {
      return rc.body() == null || rc.body().length() == 0 ? null : rc.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static void error(RoutingContext rc, FeishuError e) {
    if (rc.response().ended() || rc.response().closed()) {
      return;
    }
    JsonObject body = new JsonObject().put("code", e.code).put("msg", e.getMessage())
        .put("error", new JsonObject().put("log_id", UUID.randomUUID().toString().replace("-", "")));
    rc.response().setStatusCode(e.status).putHeader("content-type", "application/json").end(body.encode());
  }

  static String key() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs the simulator: {@code FeishuSimulator [port] [app_id] [app_secret]}; the bot is in every
   * chat, so any chat id works for demos.
   */
  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8790;
    String appId = args.length > 1 ? args[1] : "cli_simulator0000001";
    String secret = args.length > 2 ? args[2] : "simulator-secret";
    Vertx vertx = Vertx.vertx();
    start(vertx, new JsonObject().put("port", port).put("app_id", appId).put("app_secret", secret)
        .put("any_receiver", true))
        .onSuccess(s -> System.out.println("Feishu simulator on " + s.baseUrl() + " (FEISHU_APP_ID=" + appId
            + ", FEISHU_APP_SECRET=" + secret + ")"))
        .onFailure(e -> {
          System.err.println("Feishu simulator failed to start: " + e.getMessage());
          vertx.close();
        });
  }
}
