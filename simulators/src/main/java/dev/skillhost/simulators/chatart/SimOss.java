package dev.skillhost.simulators.chatart;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ChatArt's upload side: STS credentials as {@code /web/file/get-upload-policy} hands them out, and
 * an OSS bucket that takes a PutObject only when {@link OssAuth} finds it signed (V1 or V4) with
 * the STS token, an unexpired credential and a time within 15 minutes, refusing the rest with
 * OSS's own XML errors. Objects are addressed path-style at the root ({@code /{bucket}/{key}}, as
 * the SDK does against {@code oss-<region>.aliyuncs.com}) or under {@code /oss/{bucket}/{key}}, and
 * served as the own CDN serves them ({@code /chat-skill-upload/…}, the key at the root).
 */
final class SimOss {

  static final String BUCKET = "files-chat-ai-figcube-com";
  static final String REGION = "oss-us-west-1";
  /** The region as V4 scopes name it: without the {@code oss-} prefix. */
  static final String SIGNING_REGION = REGION.substring(4);
  static final String CDN = "https://files.chatartpro.com/";
  static final String UPLOADS = "chat-skill-upload/";
  static final Duration MAX_SKEW = Duration.ofMinutes(15);

  record Sts(String accessKeyId, String secret, String token, Instant expires) {}

  record Object(String mime, Buffer bytes) {}

  private final Map<String, Sts> sts = new ConcurrentHashMap<>();
  private final Map<String, Object> objects = new ConcurrentHashMap<>();
  volatile Duration stsLifetime = Duration.ofMinutes(15);
  volatile int refusedPuts;

  JsonObject issue() {
    Sts s = new Sts("STS." + UUID.randomUUID().toString().replace("-", "").substring(0, 20),
        UUID.randomUUID().toString().replace("-", ""), "CAIS" + UUID.randomUUID().toString().replace("-", ""),
        Instant.now().plus(stsLifetime));
    sts.put(s.accessKeyId(), s);
    return new JsonObject().put("Credentials", new JsonObject().put("AccessKeyId", s.accessKeyId())
        .put("AccessKeySecret", s.secret()).put("SecurityToken", s.token()).put("Expiration", s.expires().toString())
        .put("region", REGION).put("bucket", BUCKET));
  }

  /**
   * The bucket's routes. Mount after every API route: the path-style pair matches any
   * {@code /{first}/{rest}}, so it must only see what nothing else answered.
   */
  void mount(Router r) {
    r.put("/oss/:bucket/*").handler(rc -> put(rc, rc.pathParam("bucket"), key(rc, "/oss/" + rc.pathParam("bucket") + "/")));
    r.get("/oss/:bucket/*").handler(rc -> serve(rc, rc.pathParam("bucket"), key(rc, "/oss/" + rc.pathParam("bucket") + "/")));
    r.get("/" + UPLOADS + "*").handler(rc -> serve(rc, BUCKET, key(rc, "/")));
    r.put("/:bucket/*").handler(rc -> put(rc, rc.pathParam("bucket"), key(rc, "/" + rc.pathParam("bucket") + "/")));
    r.get("/:bucket/*").handler(rc -> serve(rc, rc.pathParam("bucket"), key(rc, "/" + rc.pathParam("bucket") + "/")));
  }

  /**
   * The key an input URL names, in any form a client may pass after an upload: the own CDN
   * ({@code https://files.chatartpro.com/chat-skill-upload/…}, what the official client sends),
   * the bucket's Aliyun host, or this simulator's path-style, {@code /oss/} and CDN-style paths.
   * Null when the URL is none of them.
   */
  String keyOf(String url, String base) {
    List<String> prefixes = List.of(CDN, "https://" + BUCKET + "." + REGION + ".aliyuncs.com/", base + "/oss/" + BUCKET + "/",
        base + "/" + BUCKET + "/");
    for (String p : prefixes) {
      if (url.startsWith(p)) {
        return url.substring(p.length());
      }
    }
    return url.startsWith(base + "/" + UPLOADS) ? url.substring(base.length() + 1) : null;
  }

  boolean has(String key) {
    return key != null && objects.containsKey(key);
  }

  int count() {
    return objects.size();
  }

  private void put(RoutingContext rc, String bucket, String key) {
    if (!BUCKET.equals(bucket)) {
      error(rc, new OssAuth.Refusal(404, "NoSuchBucket", "The specified bucket does not exist."));
      return;
    }
    Buffer body = rc.body().buffer() == null ? Buffer.buffer() : rc.body().buffer();
    OssAuth.Refusal refusal = OssAuth.check(new OssAuth.Request("PUT", bucket, key, rc.request().headers(),
        rc.queryParams(), body), sts::get, SIGNING_REGION, Instant.now(), MAX_SKEW);
    if (refusal != null) {
      error(rc, refusal);
      return;
    }
    String type = rc.request().getHeader("Content-Type");
    objects.put(key, new Object(type == null ? "application/octet-stream" : type, body));
    rc.response().setStatusCode(200).putHeader("ETag", "\"" + UUID.randomUUID() + "\"")
        .putHeader("x-oss-request-id", UUID.randomUUID().toString()).end();
  }

  private void serve(RoutingContext rc, String bucket, String key) {
    Object o = BUCKET.equals(bucket) ? objects.get(key) : null;
    if (o == null) {
      rc.response().setStatusCode(404).putHeader("Content-Type", "application/xml").end(xml(BUCKET.equals(bucket)
          ? new OssAuth.Refusal(404, "NoSuchKey", "The specified key does not exist.")
          : new OssAuth.Refusal(404, "NoSuchBucket", "The specified bucket does not exist.")));
      return;
    }
    rc.response().putHeader("Content-Type", o.mime()).end(o.bytes());
  }

  /** The object key after {@code prefix}, percent-decoded (signatures are computed over the decoded key). */
  private static String key(RoutingContext rc, String prefix) {
    String raw = rc.request().path().substring(prefix.length());
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private void error(RoutingContext rc, OssAuth.Refusal r) {
    refusedPuts++;
    rc.response().setStatusCode(r.status()).putHeader("Content-Type", "application/xml").end(xml(r));
  }

  private static String xml(OssAuth.Refusal r) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + r.code() + "</Code><Message>" + r.message()
        + "</Message><RequestId>" + UUID.randomUUID() + "</RequestId><HostId>" + BUCKET + "." + REGION
        + ".aliyuncs.com</HostId></Error>";
  }
}
