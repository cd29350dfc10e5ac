package dev.skillhost.local;

import dev.skillhost.api.Output;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The outputs of finished jobs, one small file per task under the provider's data directory. A
 * poll that reaches a new plugin instance (after a host restart or a hot swap) answers from here
 * when the work was already done, instead of doing it again. Records older than a week are dropped.
 */
final class JobRecords {

  static final Duration KEEP = Duration.ofDays(7);

  private final Path dir;

  JobRecords(Path dataDir) {
    this.dir = dataDir.resolve("jobs");
  }

  void save(String taskId, List<Output> outputs, long now) throws IOException {
    Files.createDirectories(dir);
    JsonArray json = new JsonArray();
    outputs.forEach(o -> json.add(o.toJson()));
    Path tmp = Files.createTempFile(dir, ".record", ".tmp");
    Files.writeString(tmp, new JsonObject().put("outputs", json).encode());
    Files.move(tmp, file(taskId), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    prune(now);
  }

  Optional<List<Output>> load(String taskId) throws IOException {
    Path f = file(taskId);
    if (!Files.exists(f)) return Optional.empty();
    JsonArray json = new JsonObject(Files.readString(f)).getJsonArray("outputs", new JsonArray());
    List<Output> outputs = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      JsonObject o = json.getJsonObject(i);
      outputs.add(new Output(o.getString("kind"), o.getString("file"), o.getString("url"), o.getString("mime"),
          o.getJsonObject("meta")));
    }
    return Optional.of(outputs);
  }

  private void prune(long now) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (now - Files.getLastModifiedTime(f).toMillis() > KEEP.toMillis()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  private Path file(String taskId) {
    return dir.resolve(safeName(taskId) + ".json");
  }

  /** Task ids are the host's own ({@code t_…}); anything else is hashed so it cannot leave the directory. */
  static String safeName(String taskId) {
    if (taskId.matches("[A-Za-z0-9_-]{1,100}")) return taskId;
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
          .digest(taskId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(hash);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
