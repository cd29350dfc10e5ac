package dev.skillhost.host.outbox;

import dev.skillhost.host.store.SharedFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One webhook signing secret per API key (by owner id), {@code whsec_} + base64 of 24 random
 * bytes as Standard Webhooks libraries expect, made on first use and kept in the shared directory,
 * so it survives restarts, signatures stay valid, and every node signs with the same secret.
 *
 * <p>Each owner's secret is its own file, {@code <shared>/webhook-secrets.d/<owner>} (owner-only),
 * made with {@link SharedFiles#createIfAbsent}: two nodes making an owner's first secret at once
 * end with one, and a node that has not seen a secret yet finds the other node's on disk. (One file
 * for all owners could not be updated by two processes without a lock.) Secrets made before this
 * layout, in the single {@code <shared>/webhook-secrets} file, are still read and take precedence.
 */
final class WebhookSecrets {

  static final String FILE_NAME = "webhook-secrets";
  static final String DIR_NAME = "webhook-secrets.d";
  static final String PREFIX = "whsec_";
  private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final Vertx vertx;
  private final Path dir;
  private final Map<String, String> byOwner = new ConcurrentHashMap<>();

  private WebhookSecrets(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
  }

  /** Reads the single-file secrets of earlier versions, if {@code sharedDir} has them. */
  static Future<WebhookSecrets> load(Vertx vertx, Path sharedDir) {
    WebhookSecrets secrets = new WebhookSecrets(vertx, sharedDir.resolve(DIR_NAME));
    Path legacy = sharedDir.resolve(FILE_NAME);
    return vertx.executeBlocking(() -> {
      if (Files.exists(legacy)) {
        for (String line : Files.readAllLines(legacy, StandardCharsets.UTF_8)) {
          String[] parts = line.strip().split("\\s+");
          if (parts.length == 2 && !parts[0].startsWith("#")) {
            secrets.byOwner.put(parts[0], parts[1]);
          }
        }
      }
      return secrets;
    });
  }

  /** The owner's secret: known, or on disk (made by this node or another), or made now. */
  Future<String> of(String owner) {
    String known = byOwner.get(owner);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    if (!OWNER.matcher(owner).matches()) {
      return Future.failedFuture(new IllegalArgumentException("not an owner id: " + owner));
    }
    return vertx.executeBlocking(() -> {
      String secret = createOrRead(owner);
      String first = byOwner.putIfAbsent(owner, secret);
      return first == null ? secret : first;
    });
  }

  private String createOrRead(String owner) throws IOException {
    if (!Files.isDirectory(dir)) {
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (java.nio.file.FileAlreadyExistsException madeMeanwhile) {
        // another node (or thread) made it first: fine
      }
    }
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String fresh = PREFIX + Base64.getEncoder().encodeToString(bytes);
    String secret = SharedFiles.createIfAbsent(dir.resolve(owner), fresh + "\n").text().strip();
    if (!secret.startsWith(PREFIX)) {
      throw new IOException(dir.resolve(owner) + " does not hold a " + PREFIX + " secret");
    }
    return secret;
  }
}
