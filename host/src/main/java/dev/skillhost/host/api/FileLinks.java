package dev.skillhost.host.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import dev.skillhost.host.store.SharedFiles;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived signed links to stored files, {@code /v1/files/{id}?exp=…&sig=…}: a browser's
 * {@code <video src>} or a chat app cannot send the bearer key, so the link itself carries the
 * permission. The signature is HMAC-SHA256 over the id and expiry with a host secret kept
 * owner-only in {@code <shared>/file-links.key} (the directory every node sees, so a link made by
 * one node works on all); a link works until {@code exp} (epoch seconds) and for that one file only.
 */
public final class FileLinks {

  public static final String FILE_NAME = "file-links.key";
  private static final String ALGORITHM = "HmacSHA256";

  private final byte[] secret;
  private final Duration ttl;
  private final Clock clock;

  FileLinks(byte[] secret, Duration ttl, Clock clock) {
    this.secret = secret.clone();
    this.ttl = ttl;
    this.clock = clock;
  }

  /**
   * Reads the secret in {@code sharedDir}, creating it if it does not exist; nodes starting
   * together on a fresh directory end with the same secret (see {@link SharedFiles}). Blocking:
   * call at boot.
   */
  public static FileLinks loadOrCreate(Path sharedDir, Duration ttl, Clock clock) throws IOException {
    Path file = sharedDir.resolve(FILE_NAME);
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    String text = SharedFiles.createIfAbsent(file, Base64.getEncoder().encodeToString(fresh) + "\n").text();
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " is not a base64 secret; delete it to get a new one (old links stop working)");
    }
    if (secret.length < 16) {
      throw new IOException(file + " holds a secret shorter than 16 bytes; delete it to get a new one");
    }
    return new FileLinks(secret, ttl, clock);
  }

  /** A link to {@code fileId} that works for the configured time, relative to the host's base URL. */
  public String link(String fileId) {
    long exp = clock.instant().plus(ttl).getEpochSecond();
    return "/v1/files/" + fileId + "?exp=" + exp + "&sig=" + sign(fileId, exp);
  }

  /** Why a presented link does not let its bearer read {@code fileId}, or empty when it does. */
  public Optional<String> refusal(String fileId, String exp, String sig) {
    if (exp == null || sig == null || !exp.matches("\\d{1,12}")) {
      return Optional.of("a signed file link needs both exp (epoch seconds) and sig");
    }
    long expires = Long.parseLong(exp);
    byte[] expected = sign(fileId, expires).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII))) {
      return Optional.of("the link's signature does not match; ask for a new link");
    }
    if (clock.instant().getEpochSecond() > expires) {
      return Optional.of("the link expired; ask for a new link");
    }
    return Optional.empty();
  }

  private String sign(String fileId, long exp) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret, ALGORITHM));
      byte[] digest = mac.doFinal((fileId + "\n" + exp).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
