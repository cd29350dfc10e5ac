package dev.skillhost.host.plugins;

import dev.skillhost.api.Artifacts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

/** A content-addressed artifact folder for tests: ids are sha-256 hex, mime is the hint. */
final class TestArtifacts implements Artifacts {

  private final Vertx vertx;
  private final Path dir;

  TestArtifacts(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
  }

  @Override
  public Future<Path> path(String fileId) {
    return vertx.executeBlocking(() -> {
      Path file = dir.resolve(fileId);
      if (!Files.isRegularFile(file)) throw new NoSuchFileException(fileId);
      return file;
    });
  }

  @Override
  public Future<StoredFile> store(Path file, String mimeHint) {
    return vertx.executeBlocking(() -> {
      byte[] bytes = Files.readAllBytes(file);
      String id = sha256(bytes);
      Files.createDirectories(dir);
      Files.move(file, dir.resolve(id), StandardCopyOption.REPLACE_EXISTING);
      return new StoredFile(id, mimeHint, bytes.length);
    });
  }

  @Override
  public Future<StoredFile> store(Buffer bytes, String mimeHint) {
    return vertx.executeBlocking(() -> {
      byte[] content = bytes.getBytes();
      String id = sha256(content);
      Files.createDirectories(dir);
      Files.write(dir.resolve(id), content);
      return new StoredFile(id, mimeHint, content.length);
    });
  }

  @Override
  public Path scratch(String suffix) {
    return dir.resolve("scratch-" + UUID.randomUUID() + suffix);
  }

  /** Stores bytes synchronously, for test setup off the event loop. */
  String put(byte[] content) throws Exception {
    String id = sha256(content);
    Files.createDirectories(dir);
    Files.write(dir.resolve(id), content);
    return id;
  }

  Path file(String id) {
    return dir.resolve(id);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
