package dev.skillhost.simulators.chatart;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an OSS request's {@code Authorization} the way OSS does, in both schemes the SDKs send:
 * V1 ({@code OSS ak:base64(hmac-sha1)} over verb, Content-MD5, Content-Type, Date, x-oss-* headers
 * and /bucket/key) and V4 ({@code OSS4-HMAC-SHA256 Credential=ak/date/region/oss/aliyun_v4_request,
 * AdditionalHeaders=…, Signature=hex}), the default of the v2 SDKs. V4 follows Alibaba Cloud's
 * "Include a V4 signature in the header": a canonical request (verb, URI-encoded /bucket/key,
 * sorted query, the content-type/content-md5/x-oss-* and additional headers, the additional header
 * names, the x-oss-content-sha256 value) hashed into a string to sign with the x-oss-date and the
 * scope, signed with a key derived from {@code "aliyun_v4" + secret} through date, region, "oss"
 * and "aliyun_v4_request".
 */
final class OssAuth {

  static final String V4 = "OSS4-HMAC-SHA256";
  static final String UNSIGNED = "UNSIGNED-PAYLOAD";
  static final DateTimeFormatter V4_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** Why OSS refuses a request: its HTTP status and the {@code <Code>} of its XML error. */
  record Refusal(int status, String code, String message) {}

  /** What is signed: the request as it arrived, with the bucket and (decoded) key it addresses. */
  record Request(String method, String bucket, String key, MultiMap headers, MultiMap query, Buffer body) {}

  private OssAuth() {}

  /** Null when the request is signed by a live STS credential of {@code region}; the refusal otherwise. */
  static Refusal check(Request req, Function<String, SimOss.Sts> sts, String region, Instant now, Duration maxSkew) {
    String auth = req.headers().get("Authorization");
    if (auth != null && auth.startsWith(V4 + " ")) {
      return checkV4(req, auth.substring(V4.length() + 1), sts, region, now, maxSkew);
    }
    if (auth != null && auth.startsWith("OSS ") && auth.contains(":")) {
      return checkV1(req, auth, sts, now, maxSkew);
    }
    return new Refusal(403, "AccessDenied", "AccessDenied: no OSS authorization");
  }

  private static Refusal checkV1(Request req, String auth, Function<String, SimOss.Sts> sts, Instant now, Duration maxSkew) {
    String ak = auth.substring(4, auth.lastIndexOf(':'));
    Refusal r = credential(req, sts.apply(ak), now);
    if (r != null) {
      return r;
    }
    String date = req.headers().get("Date");
    try {
      r = skew(ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant(), now, maxSkew);
    } catch (DateTimeParseException | NullPointerException e) {
      return new Refusal(403, "AccessDenied", "Invalid Date header");
    }
    if (r != null) {
      return r;
    }
    String expected = signV1(sts.apply(ak).secret(), req.method(), header(req, "Content-MD5"), header(req, "Content-Type"), date,
        ossHeaders(req.headers()), "/" + req.bucket() + "/" + req.key());
    return same(expected, auth.substring(auth.lastIndexOf(':') + 1)) ? null : mismatch();
  }

  private static Refusal checkV4(Request req, String fields, Function<String, SimOss.Sts> sts, String region, Instant now,
      Duration maxSkew) {
    Map<String, String> f = new HashMap<>();
    for (String part : fields.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        f.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    String[] credential = f.getOrDefault("Credential", "").split("/");
    String signature = f.get("Signature");
    if (credential.length != 5 || !"oss".equals(credential[3]) || !"aliyun_v4_request".equals(credential[4])
        || signature == null) {
      return new Refusal(400, "InvalidArgument", "Authorization header is invalid: Credential and Signature are required.");
    }
    SimOss.Sts s = sts.apply(credential[0]);
    Refusal r = credential(req, s, now);
    if (r != null) {
      return r;
    }
    String timestamp = req.headers().get("x-oss-date");
    Instant at;
    try {
      at = Instant.from(V4_TIME.parse(timestamp));
    } catch (DateTimeParseException | NullPointerException e) {
      return new Refusal(403, "AccessDenied", "Invalid x-oss-date header");
    }
    if ((r = skew(at, now, maxSkew)) != null) {
      return r;
    }
    if (!timestamp.startsWith(credential[1])) {
      return new Refusal(403, "SignatureDoesNotMatch", "The date in the Credential scope is not the date of x-oss-date.");
    }
    if (!region.equals(credential[2])) {
      return new Refusal(403, "SignatureDoesNotMatch", "Invalid signing region in Authorization header: " + credential[2]);
    }
    String payload = req.headers().get("x-oss-content-sha256");
    if (payload == null) {
      return new Refusal(403, "AccessDenied", "Missing required header for this request: x-oss-content-sha256");
    }
    if (!UNSIGNED.equals(payload) && !payload.equals(hex(sha256(req.body() == null ? new byte[0] : req.body().getBytes())))) {
      return new Refusal(400, "InvalidArgument", "x-oss-content-sha256 does not match the body.");
    }
    Set<String> additional = new TreeSet<>();
    for (String h : f.getOrDefault("AdditionalHeaders", "").split(";")) {
      if (!h.isBlank()) {
        additional.add(h.trim().toLowerCase(Locale.ROOT));
      }
    }
    String expected = signV4(s.secret(), req.method(), req.bucket(), req.key(), req.query(), req.headers(), additional,
        timestamp, credential[1], region);
    return same(expected, signature) ? null : mismatch();
  }

  /** The V1 signature: base64(HMAC-SHA1(secret, verb\nmd5\ntype\ndate\nx-oss-headers resource)). */
  static String signV1(String secret, String verb, String md5, String type, String date, Map<String, String> oss,
      String resource) {
    StringBuilder s = new StringBuilder(verb).append('\n').append(md5).append('\n').append(type).append('\n')
        .append(date).append('\n');
    oss.forEach((k, v) -> s.append(k).append(':').append(v.trim()).append('\n'));
    s.append(resource);
    return Base64.getEncoder().encodeToString(hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), s.toString()));
  }

  /** The V4 signature (hex), for a request signed at {@code timestamp} (yyyyMMddTHHmmssZ) on {@code day}. */
  static String signV4(String secret, String verb, String bucket, String key, MultiMap query, MultiMap headers,
      Set<String> additional, String timestamp, String day, String region) {
    TreeMap<String, String> canonical = new TreeMap<>();
    headers.forEach(h -> {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("content-type") || name.equals("content-md5") || name.startsWith("x-oss-") || additional.contains(name)) {
        canonical.merge(name, h.getValue().trim(), (a, b) -> a + "," + b);
      }
    });
    StringBuilder request = new StringBuilder(verb).append('\n')
        .append(uriEncode("/" + bucket + "/" + key, false)).append('\n')
        .append(canonicalQuery(query)).append('\n');
    canonical.forEach((k, v) -> request.append(k).append(':').append(v).append('\n'));
    request.append('\n').append(String.join(";", additional)).append('\n')
        .append(canonical.getOrDefault("x-oss-content-sha256", UNSIGNED));
    String scope = day + "/" + region + "/oss/aliyun_v4_request";
    String toSign = V4 + "\n" + timestamp + "\n" + scope + "\n" + hex(sha256(request.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] k = hmac("HmacSHA256", ("aliyun_v4" + secret).getBytes(StandardCharsets.UTF_8), day);
    k = hmac("HmacSHA256", k, region);
    k = hmac("HmacSHA256", k, "oss");
    k = hmac("HmacSHA256", k, "aliyun_v4_request");
    return hex(hmac("HmacSHA256", k, toSign));
  }

  private static String canonicalQuery(MultiMap query) {
    TreeMap<String, String> q = new TreeMap<>();
    if (query != null) {
      query.forEach(e -> q.put(uriEncode(e.getKey(), true), e.getValue() == null || e.getValue().isEmpty() ? null
          : uriEncode(e.getValue(), true)));
    }
    StringBuilder s = new StringBuilder();
    q.forEach((k, v) -> s.append(s.isEmpty() ? "" : "&").append(k).append(v == null ? "" : "=" + v));
    return s.toString();
  }

  /** RFC 3986 percent-encoding of all but the unreserved characters (and of '/' only when asked). */
  static String uriEncode(String s, boolean slash) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
          || c == '~' || c == '/' && !slash) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static Refusal credential(Request req, SimOss.Sts s, Instant now) {
    if (s == null) {
      return new Refusal(403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.");
    }
    if (now.isAfter(s.expires())) {
      return new Refusal(403, "SecurityTokenExpired", "The security token you provided has expired.");
    }
    if (!s.token().equals(req.headers().get("x-oss-security-token"))) {
      return new Refusal(403, "InvalidSecurityToken", "The security token you provided is invalid.");
    }
    return null;
  }

  private static Refusal skew(Instant at, Instant now, Duration maxSkew) {
    return Duration.between(at, now).abs().compareTo(maxSkew) > 0
        ? new Refusal(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.")
        : null;
  }

  private static Refusal mismatch() {
    return new Refusal(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
  }

  private static Map<String, String> ossHeaders(MultiMap headers) {
    Map<String, String> oss = new TreeMap<>();
    headers.forEach(h -> {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith("x-oss-")) {
        oss.put(name, h.getValue());
      }
    });
    return oss;
  }

  private static String header(Request req, String name) {
    String v = req.headers().get(name);
    return v == null ? "" : v;
  }

  private static boolean same(String expected, String given) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(String alg, byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance(alg);
      mac.init(new SecretKeySpec(key, alg));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
