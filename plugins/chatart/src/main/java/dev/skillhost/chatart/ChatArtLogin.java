package dev.skillhost.chatart;

import dev.skillhost.api.Login;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * ChatArt's own device-style sign-in (official {@code auth.py}; not RFC 8628): {@code POST
 * /web/xskill/init} with a client id answers a device code, a verification link and an absolute
 * {@code token_endpoint}; that endpoint, polled with the device code, answers 200/code 200 with the
 * key once the user signs in, 403 when denied, 410 when expired, 404 for an unknown code. Any
 * other answer (or none) means "not yet". Logout unbinds the device ({@code /user/get-unbind-device}).
 */
final class ChatArtLogin {

  static final String INIT = "/web/xskill/init";
  static final String UNBIND = "/user/get-unbind-device";
  /** The official script waits at least this long, whatever {@code expires_in} says. */
  static final long MIN_EXPIRY_S = 600;
  /** Codes the official script reports as "Session expired" (compared as strings there). */
  static final Set<String> EXPIRED_CODES = Set.of("401", "10007", "10010", "10001", "10048");

  private final ChatArtClient client;

  ChatArtLogin(ChatArtClient client) {
    this.client = client;
  }

  /**
   * Starts a sign-in. Already signed in (and not asked to switch): says so. A switch unbinds and
   * forgets the stored account first, as the official {@code accountswitch} does.
   */
  Future<Login> start(JsonObject request, ProviderContext ctx) {
    boolean switching = request != null && request.getBoolean("switch", false);
    return ChatArtCredentials.load(ctx).compose(stored -> {
      if (stored.isPresent() && !switching) {
        return Future.succeededFuture(Login.signedIn(stored.get().uid()));
      }
      Future<Void> cleared = stored.isPresent() ? logout(ctx) : Future.succeededFuture();
      return cleared.compose(v -> init(ctx));
    });
  }

  private Future<Login> init(ProviderContext ctx) {
    JsonObject body = new JsonObject().put("identity_id", clientId(ctx));
    return client.web().postAbs(ChatArtClient.base(ctx) + INIT).timeout(ChatArtClient.TIMEOUT_MS)
        .putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer())
        .recover(ChatArtClient::network)
        .map(res -> {
          Object data = ChatArtClient.data(res);
          if (!(data instanceof JsonObject d) || d.getString("identity_id") == null || d.getString("token_endpoint") == null) {
            throw new ProviderException("malformed", 0, "ChatArt's login answer lacks the device code or token endpoint");
          }
          String url = d.getString("verification_uri_complete", d.getString("verification_uri"));
          long interval = d.getLong("interval", 2L);
          long expiresIn = Math.max(d.getLong("expires_in", MIN_EXPIRY_S), MIN_EXPIRY_S);
          Instant expires = ctx.clock().instant().plusSeconds(expiresIn);
          JsonObject state = new JsonObject().put("device_code", d.getString("identity_id"))
              .put("token_endpoint", d.getString("token_endpoint")).put("interval", interval)
              .put("expires_at", expires.toEpochMilli()).put("verification_uri_complete", url);
          return Login.pending(url, expires, Duration.ofSeconds(interval), state);
        });
  }

  /** One look at the token endpoint. */
  Future<Login> poll(Login pending, ProviderContext ctx) {
    JsonObject state = pending.data();
    long expiresAt = state.getLong("expires_at", 0L);
    if (ctx.clock().millis() > expiresAt) {
      return Future.succeededFuture(Login.failed(new ProviderException("login_expired", 410,
          "The login link expired before sign-in finished.")));
    }
    JsonObject body = new JsonObject().put("identity_id", state.getString("device_code"));
    return client.web().postAbs(state.getString("token_endpoint")).timeout(ChatArtClient.TIMEOUT_MS)
        .putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer())
        .compose(res -> answered(res, pending, ctx))
        // the official poll swallows network errors and keeps polling
        .recover(e -> e instanceof ProviderException ? Future.failedFuture(e) : Future.succeededFuture(pending));
  }

  private Future<Login> answered(HttpResponse<Buffer> res, Login pending, ProviderContext ctx) {
    switch (res.statusCode()) {
      case 403:
        return failed("login_denied", 403, "Sign-in was denied.");
      case 410:
        return failed("login_expired", 410, "The login link expired.");
      case 404:
        return failed("login_not_found", 404, "The login code was not found.");
      case 200:
        break;
      default:
        return Future.succeededFuture(pending); // "not yet": any other status keeps polling
    }
    JsonObject json = ChatArtClient.parse(res);
    if (json == null) {
      return Future.succeededFuture(pending);
    }
    Object code = json.getValue("code");
    if (!(code instanceof Number n && n.intValue() == 200)) {
      String c = String.valueOf(code);
      String text = EXPIRED_CODES.contains(c) ? "Session expired" : ChatArtClient.text(json, "login failed (" + c + ")");
      return failed(c, 200, text);
    }
    JsonObject data = json.getJsonObject("data", new JsonObject());
    JsonObject saved = credentialsFile(data, ctx);
    if (saved.getString("api_key") == null || saved.getString("identity_id") == null) {
      return failed("malformed", 0, "ChatArt approved the sign-in but sent no api_key/identity_id");
    }
    return ChatArtCredentials.save(ctx, saved).map(v -> Login.signedIn(saved.getString("identity_id")));
  }

  /** The same fields the official {@code _save_credentials} writes. */
  private static JsonObject credentialsFile(JsonObject data, ProviderContext ctx) {
    String apiKey = data.getString("api_key");
    if (apiKey == null && data.getJsonArray("api_keys") != null && !data.getJsonArray("api_keys").isEmpty()) {
      apiKey = String.valueOf(data.getJsonArray("api_keys").getValue(0));
    }
    JsonObject file = new JsonObject()
        .put("uid", data.getValue("member_id", data.getValue("uid")))
        .put("api_key", apiKey)
        .put("email", data.getString("email")).put("name", data.getString("name"))
        .put("team_id", data.getValue("team_id")).put("role", data.getValue("role"))
        .put("charge_type", data.getValue("charge_type")).put("remain_credit", data.getValue("remain_credit"))
        .put("created_at", ctx.clock().instant().toString())
        .put("token", data.getString("token")).put("identity_id", data.getString("identity_id"));
    if (data.getString("access_token") != null) {
      file.put("access_token", data.getString("access_token")).put("token_type", "Bearer");
    }
    return file;
  }

  /**
   * Unbinds the device, then forgets the stored key. As the official client, the file stays when
   * the unbind fails, unless the backend says the key is no longer valid (then it is useless anyway).
   */
  Future<Void> logout(ProviderContext ctx) {
    return ChatArtCredentials.load(ctx).compose(stored -> {
      if (stored.isEmpty()) {
        return Future.succeededFuture();
      }
      return client.call(ctx, stored.get(), HttpMethod.POST, UNBIND, null)
          .<Void>map(data -> {
            if (!Boolean.TRUE.equals(data)) {
              throw new ProviderException("unbind_failed", 200, "ChatArt did not unbind this device");
            }
            return null;
          })
          .recover(e -> {
            if (e instanceof ProviderException pe && ("1053".equals(pe.code()) || pe.httpStatus() == 401
                || EXPIRED_CODES.contains(pe.code()))) {
              return Future.succeededFuture(); // 1053 is the backend's "unbind succeeded"
            }
            return Future.failedFuture(e);
          })
          .compose(v -> ChatArtCredentials.delete(ctx));
    });
  }

  private static Future<Login> failed(String code, int http, String text) {
    return Future.succeededFuture(Login.failed(new ProviderException(code, http, text)));
  }

  /**
   * {@code CHATART_CLIENT_ID}, else {@code "pro-chatart-skill-" + sha256(fingerprint)[:16]} over
   * the machine, platform, processor and user name, keys sorted, as {@code _get_pc_fingerprint}.
   */
  static String clientId(ProviderContext ctx) {
    String configured = ctx.config().getString("client_id", ctx.secret("CHATART_CLIENT_ID").orElse(null));
    if (configured != null) {
      return configured;
    }
    Map<String, String> fp = new TreeMap<>();
    fp.put("machine", System.getProperty("os.arch", ""));
    fp.put("platform", System.getProperty("os.name", "") + "-" + System.getProperty("os.version", ""));
    fp.put("processor", System.getProperty("os.arch", ""));
    fp.put("username", System.getProperty("user.name", ""));
    StringBuilder s = new StringBuilder();
    fp.forEach((k, v) -> s.append(s.length() == 0 ? "" : "|").append(k).append('=').append(v));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
      return "pro-chatart-skill-" + HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
