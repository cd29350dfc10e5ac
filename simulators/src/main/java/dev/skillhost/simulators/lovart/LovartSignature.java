package dev.skillhost.simulators.lovart;

import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of Lovart's AK/SK scheme: {@code hex(HMAC-SHA256(sk, METHOD\nPATH\nts))} over the
 * request's own method and path (no query), in X-Access-Key, X-Timestamp, X-Signature,
 * X-Signed-Method and X-Signed-Path, with a timestamp within the allowed skew.
 */
final class LovartSignature {

  private LovartSignature() {}

  /** Null when the request is signed correctly, else why it is refused. */
  static String check(HttpServerRequest req, String accessKey, String secretKey, long skewSeconds, long nowSeconds) {
    String ak = req.getHeader("X-Access-Key");
    String ts = req.getHeader("X-Timestamp");
    String sig = req.getHeader("X-Signature");
    String method = req.getHeader("X-Signed-Method");
    String path = req.getHeader("X-Signed-Path");
    if (ak == null || ts == null || sig == null || method == null || path == null) {
      return "missing signature headers";
    }
    if (!accessKey.equals(ak)) {
      return "invalid access key";
    }
    if (!method.equals(req.method().name()) || !path.equals(req.path())) {
      return "signed method or path does not match the request";
    }
    long stamp;
    try {
      stamp = Long.parseLong(ts);
    } catch (NumberFormatException e) {
      return "invalid timestamp";
    }
    if (Math.abs(nowSeconds - stamp) > skewSeconds) {
      return "timestamp expired";
    }
    String expected = sign(secretKey, method + "\n" + path + "\n" + ts);
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), sig.getBytes(StandardCharsets.US_ASCII))) {
      return "signature mismatch";
    }
    return null;
  }

  static String sign(String secretKey, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
