package dev.skillhost.local.support;

import dev.skillhost.api.Artifacts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.NoSuchElementException;
import java.util.UUID;

/** A content-addressed store in a directory, as the host's works: files named by their sha-256. */
public final class DirArtifacts implements Artifacts {

  private final Vertx vertx;
  private final Path store;
  private final Path scratch;

  public DirArtifacts(Vertx vertx, Path dir) throws IOException {
    this.vertx = vertx;
    this.store = Files.createDirectories(dir.resolve("files"));
    this.scratch = Files.createDirectories(dir.resolve("scratch"));
  }

  /** Adds a file as if it had been uploaded; answers its id. */
  public String put(Path file) throws IOException {
    String id = sha256(Files.readAllBytes(file));
    Files.copy(file, store.resolve(id), StandardCopyOption.REPLACE_EXISTING);
    return id;
  }

  public Path scratchDir() {
    return scratch;
  }

  @Override
  public Future<Path> path(String fileId) {
    Path p = store.resolve(fileId);
    return Files.exists(p) ? Future.succeededFuture(p)
        : Future.failedFuture(new NoSuchElementException("no artifact with id '" + fileId + "'"));
  }

  @Override
  public Future<StoredFile> store(Path file, String mimeHint) {
    return vertx.executeBlocking(() -> {
      String id = sha256(Files.readAllBytes(file));
      Files.move(file, store.resolve(id), StandardCopyOption.REPLACE_EXISTING);
      return new StoredFile(id, mimeHint, Files.size(store.resolve(id)));
    });
  }

  @Override
  public Future<StoredFile> store(Buffer bytes, String mimeHint) {
    return vertx.executeBlocking(() -> {
      Path tmp = scratch("");
      Files.write(tmp, bytes.getBytes());
      return tmp;
    }).compose(tmp -> store(tmp, mimeHint));
  }

  @Override
  public Path scratch(String suffix) {
    return scratch.resolve(UUID.randomUUID() + suffix);
  }

  private static String sha256(byte[] bytes) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IOException(e);
    }
  }
}
