package dev.skillhost.sim;

import dev.skillhost.api.Handle;
import dev.skillhost.api.ProviderContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The simulated backend's memory of what it was sent: one line {@code taskId<TAB>handleJson} per
 * submit in {@code submits.log} under the provider's data dir. Tests count submits with it, and
 * {@code reconcile} looks tasks up in it, as a real backend lists its recent tasks.
 */
final class SimLedger {

  static final String FILE = "submits.log";

  private final Object appendLock = new Object();

  Future<Void> append(ProviderContext ctx, String taskId, Handle handle) {
    if (taskId == null || taskId.isEmpty() || taskId.chars().anyMatch(Character::isISOControl)) {
      return Future.failedFuture(SimParams.invalid("task id must be non-empty text without control characters"));
    }
    byte[] line = (taskId + "\t" + handle.toJson().encode() + "\n").getBytes(StandardCharsets.UTF_8);
    return ctx.vertx().executeBlocking(() -> {
      Path file = ledger(ctx);
      Files.createDirectories(file.getParent());
      // One write with O_APPEND: whole lines even if an old and a new plugin version append
      // at once during a hot swap (the lock below is per instance).
      synchronized (appendLock) {
        Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
      }
      return null;
    });
  }

  Future<Long> count(ProviderContext ctx) {
    return ctx.vertx().executeBlocking(() -> {
      try (BufferedReader reader = Files.newBufferedReader(ledger(ctx), StandardCharsets.UTF_8)) {
        return reader.lines().filter(l -> !l.isBlank()).count();
      } catch (NoSuchFileException e) {
        return 0L;
      }
    });
  }

  /** The handle of the last submit of {@code taskId}, if the backend ever received it. */
  Future<Optional<Handle>> find(ProviderContext ctx, String taskId) {
    String prefix = taskId + "\t";
    return ctx.vertx().executeBlocking(() -> {
      try (BufferedReader reader = Files.newBufferedReader(ledger(ctx), StandardCharsets.UTF_8)) {
        return reader.lines()
            .filter(l -> l.startsWith(prefix))
            .reduce((first, second) -> second)
            .map(l -> Handle.fromJson(new JsonObject(l.substring(prefix.length()))));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      }
    });
  }

  private static Path ledger(ProviderContext ctx) {
    return ctx.dataDir().resolve(FILE);
  }
}
