package dev.skillhost.bench;

import dev.skillhost.host.skills.SkillRegistry;
import dev.skillhost.host.skills.SkillRegistryOptions;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code make bench}: how soon a manifest edit is live. Writes {@code skills/sim.yaml} with a new
 * version into a watched directory {@value #RUNS} times and measures from the write until
 * {@code skill("sim")} serves that version (debounce, reload, schema, CEL, examples, swap).
 */
public final class SkillReloadBench {

  private static final int RUNS = 20;
  private static final int WARMUP = 10;
  private static final long GIVE_UP_MS = 5_000;

  public static void main(String[] args) throws Exception {
    String manifest = Files.readString(Path.of("skills/sim.yaml"));
    Path dir = Files.createTempDirectory("skillhost-reload-bench");
    Path file = dir.resolve("sim.yaml");
    Files.writeString(file, version(manifest, 0));
    Vertx vertx = Vertx.vertx();
    SkillRegistryOptions options = SkillRegistryOptions.of(dir);
    SkillRegistry registry = SkillRegistry.start(vertx, options).await();
    try {
      List<Double> ms = new ArrayList<>();
      for (int i = 1; i <= WARMUP + RUNS; i++) {
        double took = edit(registry, file, version(manifest, i), "1.0." + i);
        if (i > WARMUP) {
          ms.add(took);
        }
        Thread.sleep(150);
      }
      Collections.sort(ms);
      System.out.printf("manifest edit → live:       median %.1f ms  p95 %.1f ms  max %.1f ms  (%d edits, debounce %d ms)%n",
          ms.get(ms.size() / 2), ms.get((int) Math.ceil(ms.size() * 0.95) - 1), ms.get(ms.size() - 1), RUNS,
          options.debounce().toMillis());
    } finally {
      registry.close();
      vertx.close().await();
    }
  }

  private static double edit(SkillRegistry registry, Path file, String text, String version) throws Exception {
    long start = System.nanoTime();
    Files.writeString(file, text);
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MS);
    while (!registry.skill("sim").map(s -> s.version().equals(version)).orElse(false)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("version " + version + " not live after " + GIVE_UP_MS + " ms: "
            + registry.statuses());
      }
      LockSupport.parkNanos(100_000);
    }
    return (System.nanoTime() - start) / 1e6;
  }

  private static String version(String manifest, int i) {
    return manifest.replaceFirst("(?m)^version: .*$", "version: 1.0." + i);
  }
}
