package dev.skillhost.lovart;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Lovart's AK/SK scheme, exactly as the official client's {@code _sign}: the string
 * {@code METHOD + "\n" + PATH + "\n" + ts} (path with the {@code /v1/openapi} prefix, without host
 * or query; ts in unix seconds) signed with HMAC-SHA256 under the secret key, lower-case hex, sent
 * in five {@code X-*} headers. The body is not signed. A caller signs again for every attempt so
 * the timestamp is always fresh.
 */
final class LovartSigner {

  private final String accessKey;
  private final byte[] secretKey;

  LovartSigner(String accessKey, String secretKey) {
    this.accessKey = accessKey;
    this.secretKey = secretKey.getBytes(StandardCharsets.UTF_8);
  }

  /** The headers for one attempt of {@code method path} at {@code epochSeconds}. */
  Map<String, String> headers(String method, String path, long epochSeconds) {
    String ts = Long.toString(epochSeconds);
    Map<String, String> h = new LinkedHashMap<>();
    h.put("X-Access-Key", accessKey);
    h.put("X-Timestamp", ts);
    h.put("X-Signature", signature(method + "\n" + path + "\n" + ts));
    h.put("X-Signed-Method", method);
    h.put("X-Signed-Path", path);
    return h;
  }

  String signature(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secretKey, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
