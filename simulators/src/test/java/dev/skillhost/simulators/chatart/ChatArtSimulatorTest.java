package dev.skillhost.simulators.chatart;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The wire where the simulator used to differ from the official client (chatart-ai/skill, whose
 * uploads use the OSS v2 SDK): V4 as well as V1 signed puts, path-style at the root, inputs named
 * by the own CDN, integer codes with {@code msg}, and {@code api_keys[]} in the token reply. The
 * signers here are written from Alibaba Cloud's documents, not from the simulator's code.
 */
@ExtendWith(VertxExtension.class)
class ChatArtSimulatorTest {

  private static final String UID = "id_wire";
  private static final String KEY = "sk-wire";
  private static final String BUCKET = "files-chat-ai-figcube-com";
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3};

  private ChatArtSimulator sim;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    client = WebClient.create(vertx);
    ChatArtSimulator.start(vertx, new JsonObject()).onComplete(ctx.succeeding(s -> {
      sim = s;
      sim.account(UID, KEY, 1000);
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    client.close();
    sim.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void v4_and_v1_signatures_are_both_verified_and_objects_live_path_style_at_the_root(VertxTestContext ctx) {
    String v4Key = "chat-skill-upload/20261203/v4 cat.png";
    String v1Key = "chat-skill-upload/20261203/v1.png";
    policy().compose(sts -> Future.all(
            putV4(sts, sts.getString("AccessKeySecret"), v4Key),
            putV4(sts, "not-the-secret", "chat-skill-upload/20261203/forged.png"),
            putV1(sts, sts.getString("AccessKeySecret"), "/oss/" + BUCKET + "/", v1Key),
            putV1(sts, "not-the-secret", "/" + BUCKET + "/", "chat-skill-upload/20261203/forged1.png"))
        .compose(puts -> Future.all(
            client.getAbs(sim.cdnBase() + v1Key).send(),
            client.getAbs(sim.baseUrl() + "/" + BUCKET + "/" + encodePath(v4Key)).send(),
            client.getAbs(sim.baseUrl() + "/" + BUCKET + "/chat-skill-upload/none.png").send())
            .map(gets -> new Object[] {puts, gets})))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          var puts = (io.vertx.core.CompositeFuture) r[0];
          var gets = (io.vertx.core.CompositeFuture) r[1];
          HttpResponse<Buffer> v4 = puts.resultAt(0);
          HttpResponse<Buffer> forgedV4 = puts.resultAt(1);
          HttpResponse<Buffer> v1 = puts.resultAt(2);
          HttpResponse<Buffer> forgedV1 = puts.resultAt(3);
          assertThat(v4.statusCode()).as(v4.bodyAsString()).isEqualTo(200);
          assertThat(v1.statusCode()).as(v1.bodyAsString()).isEqualTo(200);
          for (HttpResponse<Buffer> forged : java.util.List.of(forgedV4, forgedV1)) {
            assertThat(forged.statusCode()).isEqualTo(403);
            assertThat(forged.getHeader("Content-Type")).isEqualTo("application/xml");
            assertThat(forged.bodyAsString()).contains("<Code>SignatureDoesNotMatch</Code>");
          }
          assertThat(sim.uploadedObjects()).isEqualTo(2);
          assertThat(sim.refusedUploads()).isEqualTo(2);
          HttpResponse<Buffer> viaCdn = gets.resultAt(0);
          HttpResponse<Buffer> viaPath = gets.resultAt(1);
          HttpResponse<Buffer> missing = gets.resultAt(2);
          assertThat(viaCdn.statusCode()).isEqualTo(200);
          assertThat(viaCdn.body().getBytes()).isEqualTo(PNG);
          assertThat(viaCdn.getHeader("Content-Type")).isEqualTo("image/png");
          assertThat(viaPath.statusCode()).isEqualTo(200);
          assertThat(missing.statusCode()).isEqualTo(404);
          assertThat(missing.bodyAsString()).contains("<Code>NoSuchKey</Code>");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void v4_is_refused_when_stale_or_for_another_region_or_without_the_payload_header(VertxTestContext ctx) {
    String key = "chat-skill-upload/20261203/x.png";
    policy().compose(sts -> {
      String secret = sts.getString("AccessKeySecret");
      Instant stale = Instant.now().minusSeconds(20 * 60);
      return Future.all(
          putV4(sts, secret, key, stale, "us-west-1", true),
          putV4(sts, secret, key, Instant.now(), "cn-hangzhou", true),
          putV4(sts, secret, key, Instant.now(), "us-west-1", false));
    }).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      HttpResponse<Buffer> stale = all.resultAt(0);
      HttpResponse<Buffer> region = all.resultAt(1);
      HttpResponse<Buffer> noPayload = all.resultAt(2);
      assertThat(stale.statusCode()).isEqualTo(403);
      assertThat(stale.bodyAsString()).contains("<Code>RequestTimeTooSkewed</Code>");
      assertThat(region.statusCode()).isEqualTo(403);
      assertThat(noPayload.statusCode()).isEqualTo(403);
      assertThat(sim.uploadedObjects()).isZero();
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void an_upload_is_accepted_as_input_by_its_cdn_url_and_the_simulators_own_forms(VertxTestContext ctx) {
    String key = "chat-skill-upload/20261203/ref.png";
    policy().compose(sts -> putV4(sts, sts.getString("AccessKeySecret"), key))
        .compose(put -> Future.all(
            edit("https://files.chatartpro.com/" + key),
            edit(sim.baseUrl() + "/" + BUCKET + "/" + key),
            edit(sim.baseUrl() + "/oss/" + BUCKET + "/" + key),
            edit(sim.cdnBase() + key),
            edit("https://files.chatartpro.com/chat-skill-upload/20261203/never-uploaded.png")))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < 4; i++) {
            JsonObject ok = all.resultAt(i);
            assertThat(ok.getValue("code")).as(ok.encode()).isEqualTo(200);
            assertThat(ok.getJsonObject("data").getString("question_id")).isNotBlank();
          }
          JsonObject missing = all.resultAt(4);
          assertThat(missing.getValue("code")).isEqualTo(4004);
          assertThat(missing.getString("msg")).startsWith("resource not found");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void codes_stay_integers_refusals_carry_msg_and_the_token_reply_lists_api_keys(VertxTestContext ctx) {
    sim.rejectNextSubmit("6001");
    Future<JsonObject> refused = authed(HttpMethod.POST, "/web/art/create", new JsonObject().put("gpt_type", "nano-banana-2")
        .put("picture_scale", 1).put("image_definition", 2).put("description", "a cat").put("scene_id", 4).put("style", 10)
        .put("reference_image", new JsonArray()));
    Future<JsonObject> unbound = refused.compose(r -> authed(HttpMethod.POST, "/user/get-unbind-device", null));
    Future<HttpResponse<Buffer>> after = unbound.compose(r -> request(HttpMethod.POST, "/web/member/user-diamond").send());
    Future<JsonObject> token = after.compose(r -> client.postAbs(sim.baseUrl() + "/web/xskill/init")
            .sendJsonObject(new JsonObject().put("identity_id", "pro-chatart-skill-0123456789abcdef")))
        .map(HttpResponse::bodyAsJsonObject)
        .compose(init -> client.getAbs(init.getJsonObject("data").getString("verification_uri_complete")).send()
            .compose(v -> client.postAbs(init.getJsonObject("data").getString("token_endpoint"))
                .sendJsonObject(new JsonObject().put("identity_id", init.getJsonObject("data").getString("identity_id")))))
        .map(HttpResponse::bodyAsJsonObject);
    token.onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      assertThat(refused.result().getValue("code")).isEqualTo(6001);
      assertThat(refused.result().getString("msg")).isEqualTo(refused.result().getString("message")).isNotBlank();
      assertThat(unbound.result().getValue("code")).isEqualTo(1053);
      assertThat(unbound.result().getString("msg")).isEqualTo("unbind success");
      assertThat(after.result().statusCode()).isEqualTo(401);
      assertThat(after.result().bodyAsJsonObject().getValue("code")).isEqualTo(401);
      assertThat(after.result().bodyAsJsonObject().getString("msg")).isNotBlank();
      assertThat(t.getValue("code")).isEqualTo(200);
      JsonObject data = t.getJsonObject("data");
      assertThat(data.getJsonArray("api_keys")).containsExactly(data.getString("api_key"));
      ctx.completeNow();
    })));
  }

  // ---- the client's side ----

  private Future<JsonObject> policy() {
    return authed(HttpMethod.POST, "/web/file/get-upload-policy", null).map(r -> r.getJsonObject("data").getJsonObject("Credentials"));
  }

  private Future<JsonObject> edit(String url) {
    return authed(HttpMethod.POST, "/web/art/create", new JsonObject().put("gpt_type", "nano-banana-2").put("picture_scale", 1)
        .put("image_definition", 2).put("description", "make it blue").put("scene_id", 13).put("style", 0)
        .put("reference_image", new JsonArray().add(url)));
  }

  private Future<JsonObject> authed(HttpMethod method, String path, JsonObject body) {
    HttpRequest<Buffer> req = request(method, path);
    return (body == null ? req.send() : req.sendJsonObject(body)).map(HttpResponse::bodyAsJsonObject);
  }

  private HttpRequest<Buffer> request(HttpMethod method, String path) {
    return client.requestAbs(method, sim.baseUrl() + path).putHeader("Xskill-Authorization", "Bearer " + KEY)
        .putHeader("Identity-Id", UID).putHeader("Content-Type", "application/json");
  }

  private Future<HttpResponse<Buffer>> putV4(JsonObject sts, String secret, String key) {
    return putV4(sts, secret, key, Instant.now(), "us-west-1", true);
  }

  /** A PutObject as the v2 SDK sends it: path-style at the endpoint's root, V4 in the Authorization header. */
  private Future<HttpResponse<Buffer>> putV4(JsonObject sts, String secret, String key, Instant at, String region, boolean payloadHeader) {
    String timestamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(at);
    Map<String, String> headers = new TreeMap<>();
    headers.put("content-type", "image/png");
    headers.put("x-oss-date", timestamp);
    headers.put("x-oss-security-token", sts.getString("SecurityToken"));
    if (payloadHeader) {
      headers.put("x-oss-content-sha256", "UNSIGNED-PAYLOAD");
    }
    String authorization = v4Authorization(sts.getString("AccessKeyId"), secret, "PUT", BUCKET, key, headers, timestamp, region);
    HttpRequest<Buffer> req = client.putAbs(sim.baseUrl() + "/" + BUCKET + "/" + encodePath(key))
        .putHeader("Authorization", authorization);
    headers.forEach(req::putHeader);
    return req.sendBuffer(Buffer.buffer(PNG));
  }

  private Future<HttpResponse<Buffer>> putV1(JsonObject sts, String secret, String prefix, String key) {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().atZone(ZoneOffset.UTC));
    String token = sts.getString("SecurityToken");
    String toSign = "PUT\n\nimage/png\n" + date + "\nx-oss-security-token:" + token + "\n/" + BUCKET + "/" + key;
    String signature = Base64.getEncoder().encodeToString(mac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), toSign));
    return client.putAbs(sim.baseUrl() + prefix + encodePath(key)).putHeader("Content-Type", "image/png")
        .putHeader("Date", date).putHeader("x-oss-security-token", token)
        .putHeader("Authorization", "OSS " + sts.getString("AccessKeyId") + ":" + signature).sendBuffer(Buffer.buffer(PNG));
  }

  /**
   * "Include a V4 signature in the header": the canonical request is the verb, the URI-encoded
   * /bucket/key, the canonical query (none here), the content-type and x-oss-* headers (lower-case,
   * sorted, "name:value\n" each), the additional header names (none), and the x-oss-content-sha256
   * value, joined by newlines; the string to sign is the algorithm, the x-oss-date, the scope and the
   * hex SHA-256 of that; the key is HMAC-SHA256 chained from "aliyun_v4"+secret over the day, the
   * region, "oss" and "aliyun_v4_request".
   */
  static String v4Authorization(String ak, String secret, String verb, String bucket, String key, Map<String, String> headers,
      String timestamp, String region) {
    String day = timestamp.substring(0, 8);
    String scope = day + "/" + region + "/oss/aliyun_v4_request";
    String canonicalHeaders = headers.entrySet().stream()
        .filter(e -> e.getKey().startsWith("x-oss-") || e.getKey().equals("content-type") || e.getKey().equals("content-md5"))
        .map(e -> e.getKey() + ":" + e.getValue().trim() + "\n").collect(Collectors.joining());
    String canonicalRequest = String.join("\n", verb, "/" + bucket + "/" + encodePath(key), "", canonicalHeaders, "",
        headers.getOrDefault("x-oss-content-sha256", "UNSIGNED-PAYLOAD"));
    String stringToSign = String.join("\n", "OSS4-HMAC-SHA256", timestamp, scope,
        HexFormat.of().formatHex(sha256(canonicalRequest)));
    byte[] signing = ("aliyun_v4" + secret).getBytes(StandardCharsets.UTF_8);
    for (String part : new String[] {day, region, "oss", "aliyun_v4_request"}) {
      signing = mac("HmacSHA256", signing, part);
    }
    return "OSS4-HMAC-SHA256 Credential=" + ak + "/" + scope + ",Signature="
        + HexFormat.of().formatHex(mac("HmacSHA256", signing, stringToSign));
  }

  /** Each path segment URI-encoded (space as %20), the slashes kept. */
  private static String encodePath(String key) {
    return java.util.Arrays.stream(key.split("/", -1))
        .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~"))
        .collect(Collectors.joining("/"));
  }

  private static byte[] mac(String alg, byte[] key, String data) {
    try {
      Mac m = Mac.getInstance(alg);
      m.init(new SecretKeySpec(key, alg));
      return m.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
