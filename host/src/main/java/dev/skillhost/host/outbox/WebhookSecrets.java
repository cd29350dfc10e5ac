package dev.skillhost.host.outbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One webhook signing secret per API key (by owner id), {@code whsec_} + base64 of 24 random
 * bytes as Standard Webhooks libraries expect, made on first use and kept in
 * {@code <data>/webhook-secrets} (owner-only), so it survives restarts and signatures stay valid.
 */
final class WebhookSecrets {

  static final String FILE_NAME = "webhook-secrets";
  static final String PREFIX = "whsec_";

  private final Vertx vertx;
  private final Path file;
  private final Map<String, String> byOwner = new ConcurrentHashMap<>();

  private WebhookSecrets(Vertx vertx, Path file) {
    this.vertx = vertx;
    this.file = file;
  }

  /** Reads the secrets file if there is one. */
  static Future<WebhookSecrets> load(Vertx vertx, Path dataDir) {
    WebhookSecrets secrets = new WebhookSecrets(vertx, dataDir.resolve(FILE_NAME));
    return vertx.executeBlocking(() -> {
      if (Files.exists(secrets.file)) {
        for (String line : Files.readAllLines(secrets.file, StandardCharsets.UTF_8)) {
          String[] parts = line.strip().split("\\s+");
          if (parts.length == 2 && !parts[0].startsWith("#")) {
            secrets.byOwner.put(parts[0], parts[1]);
          }
        }
      }
      return secrets;
    });
  }

  /** The owner's secret, made and stored first if it has none. */
  Future<String> of(String owner) {
    String known = byOwner.get(owner);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return vertx.executeBlocking(() -> create(owner));
  }

  private synchronized String create(String owner) throws IOException {
    String known = byOwner.get(owner);
    if (known != null) {
      return known;
    }
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String secret = PREFIX + Base64.getEncoder().encodeToString(bytes);
    StringBuilder text = new StringBuilder("# Webhook signing secrets, one per API key owner. Keep this file private.\n");
    byOwner.forEach((o, s) -> text.append(o).append(' ').append(s).append('\n'));
    text.append(owner).append(' ').append(secret).append('\n');
    // written whole to a private temp file, then moved over: a crash leaves the old file or the new one
    Path tmp = file.resolveSibling("." + FILE_NAME + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    byOwner.put(owner, secret);
    return secret;
  }
}
