package dev.skillhost.simulators.chatart;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * ChatArt's upload side: STS credentials as {@code /web/file/get-upload-policy} hands them out, and an
 * OSS bucket that accepts a PutObject only with a valid header signature (HMAC-SHA1, "OSS
 * ak:signature"), the STS token, an unexpired credential and a Date within 15 minutes, refusing
 * the rest with OSS's own XML errors.
 */
final class SimOss {

  static final String BUCKET = "files-chat-ai-figcube-com";
  static final String REGION = "oss-us-west-1";
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

  boolean has(String key) {
    return objects.containsKey(key);
  }

  Object get(String key) {
    return objects.get(key);
  }

  int count() {
    return objects.size();
  }

  void put(RoutingContext rc, String bucket, String key) {
    String auth = rc.request().getHeader("Authorization");
    if (!BUCKET.equals(bucket)) {
      error(rc, 404, "NoSuchBucket", "The specified bucket does not exist.");
      return;
    }
    if (auth == null || !auth.startsWith("OSS ") || !auth.contains(":")) {
      error(rc, 403, "AccessDenied", "AccessDenied: no OSS authorization");
      return;
    }
    String ak = auth.substring(4, auth.lastIndexOf(':'));
    Sts s = sts.get(ak);
    if (s == null) {
      error(rc, 403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.");
      return;
    }
    if (Instant.now().isAfter(s.expires())) {
      error(rc, 403, "SecurityTokenExpired", "The security token you provided has expired.");
      return;
    }
    if (!s.token().equals(rc.request().getHeader("x-oss-security-token"))) {
      error(rc, 403, "InvalidSecurityToken", "The security token you provided is invalid.");
      return;
    }
    String date = rc.request().getHeader("Date");
    try {
      Instant at = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      if (Duration.between(at, Instant.now()).abs().compareTo(MAX_SKEW) > 0) {
        error(rc, 403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
        return;
      }
    } catch (DateTimeParseException | NullPointerException e) {
      error(rc, 403, "AccessDenied", "Invalid Date header");
      return;
    }
    Map<String, String> ossHeaders = new TreeMap<>();
    rc.request().headers().forEach(h -> {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith("x-oss-")) {
        ossHeaders.put(name, h.getValue());
      }
    });
    String expected = sign(s.secret(), "PUT", header(rc, "Content-MD5"), header(rc, "Content-Type"), date, ossHeaders,
        "/" + bucket + "/" + key);
    if (!expected.equals(auth.substring(auth.lastIndexOf(':') + 1))) {
      error(rc, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
      return;
    }
    objects.put(key, new Object(header(rc, "Content-Type"), rc.body().buffer() == null ? Buffer.buffer() : rc.body().buffer()));
    rc.response().setStatusCode(200).putHeader("ETag", "\"" + UUID.randomUUID() + "\"")
        .putHeader("x-oss-request-id", UUID.randomUUID().toString()).end();
  }

  static String sign(String secret, String verb, String md5, String type, String date, Map<String, String> oss,
      String resource) {
    StringBuilder s = new StringBuilder(verb).append('\n').append(md5).append('\n').append(type).append('\n')
        .append(date).append('\n');
    oss.forEach((k, v) -> s.append(k).append(':').append(v.trim()).append('\n'));
    s.append(resource);
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(s.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String header(RoutingContext rc, String name) {
    String v = rc.request().getHeader(name);
    return v == null ? "" : v;
  }

  private void error(RoutingContext rc, int status, String code, String message) {
    refusedPuts++;
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/xml")
        .end("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
            + "</Message><RequestId>" + UUID.randomUUID() + "</RequestId><HostId>" + BUCKET + "." + REGION
            + ".aliyuncs.com</HostId></Error>");
  }
}
