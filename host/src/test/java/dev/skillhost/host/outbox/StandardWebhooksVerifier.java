package dev.skillhost.host.outbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a Standard Webhooks signature, written from the specification
 * (github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md, "Verifying webhook
 * authenticity") and deliberately sharing no code with the host: strip {@code whsec_}, base64-decode
 * the key, HMAC-SHA256 over {@code id.timestamp.body}, compare in constant time against every
 * space-separated {@code v1,} signature, refuse timestamps more than five minutes off.
 */
final class StandardWebhooksVerifier {

  static final long TOLERANCE_S = 5 * 60;

  private final byte[] key;

  StandardWebhooksVerifier(String secret) {
    if (!secret.startsWith("whsec_")) {
      throw new IllegalArgumentException("not a Standard Webhooks secret: " + secret);
    }
    this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
  }

  /** Why the message is not authentic, or null if it is. */
  String problem(String id, String timestamp, String signatures, byte[] body) {
    if (id == null || timestamp == null || signatures == null) {
      return "missing webhook-id, webhook-timestamp or webhook-signature";
    }
    long ts;
    try {
      ts = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return "webhook-timestamp is not whole seconds: " + timestamp;
    }
    long now = System.currentTimeMillis() / 1000;
    if (Math.abs(now - ts) > TOLERANCE_S) {
      return "webhook-timestamp too far from now: " + ts + " vs " + now;
    }
    byte[] expected;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      expected = mac.doFinal(body);
    } catch (Exception e) {
      return e.toString();
    }
    for (String versioned : signatures.split(" ")) {
      int comma = versioned.indexOf(',');
      if (comma < 0 || !versioned.substring(0, comma).equals("v1")) {
        continue;
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(versioned.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (MessageDigest.isEqual(given, expected)) {
        return null;
      }
    }
    return "no v1 signature matches";
  }
}
