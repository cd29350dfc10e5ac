package dev.skillhost.host.store;

import dev.skillhost.host.api.ApiKeys;
import dev.skillhost.host.api.FileLinks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * One "node" of {@link SharedFilesTest}, run as its own JVM: waits for the go file, then loads (or
 * makes) the API keys and the file-link secret in the shared directory, and prints what it ended
 * with: the key it created or {@code -}, whether it accepts every key now in the file, and the
 * signature of a fixed link (equal across processes only if they hold the same secret).
 */
public final class SharedFilesRacer {

  private SharedFilesRacer() {}

  public static void main(String[] args) throws Exception {
    Path shared = Path.of(args[0]);
    Path go = Path.of(args[1]);
    while (!Files.exists(go)) {
      Thread.onSpinWait();
    }
    ApiKeys keys = ApiKeys.loadOrCreate(shared);
    FileLinks links = FileLinks.loadOrCreate(shared, Duration.ofHours(1), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    boolean acceptsAll = Files.readAllLines(shared.resolve(ApiKeys.FILE_NAME)).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .allMatch(k -> keys.owner(k.strip()).isPresent());
    System.out.println(keys.createdKey().orElse("-") + " " + acceptsAll + " " + links.link("f"));
  }
}
