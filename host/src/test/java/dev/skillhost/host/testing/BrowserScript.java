package dev.skillhost.host.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the console's browser scripts ({@code host/src/test/browser/*.mjs}: playwright-core
 * driving Debian's {@code /usr/bin/chromium}) as a node process and answers the JSON lines it
 * printed, one per check. Installs the scripts' locked npm packages first ({@code npm ci}) when
 * they are missing or differ from the lock. Blocking: call it from the test thread, never from an
 * event loop.
 */
public final class BrowserScript {

  public static final Path CHROMIUM = Path.of(System.getProperty("skillhost.chromium", "/usr/bin/chromium"));
  private static final Duration NPM_TIMEOUT = Duration.ofMinutes(3);

  private BrowserScript() {}

  /** The scripts' directory, from the host module or from a sibling module (contract/). */
  public static Path dir() {
    for (Path p : List.of(Path.of("src", "test", "browser"), Path.of("..", "host", "src", "test", "browser"))) {
      if (Files.isRegularFile(p.resolve("package.json"))) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("no host/src/test/browser/package.json from " + Path.of("").toAbsolutePath());
  }

  /**
   * Runs {@code node <script>} in {@link #dir()} with {@code env} added, and answers every stdout
   * line that is a JSON object. The process is killed after {@code timeout}; its stderr is kept in
   * {@code <log>} for a person to read.
   */
  public static List<JsonObject> run(String script, Map<String, String> env, Duration timeout, Path log)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(CHROMIUM)) {
      throw new IllegalStateException(CHROMIUM + " is missing: install Debian's chromium (apt-get install chromium;"
          + " .ci/run does it)");
    }
    Path dir = dir();
    ensureInstalled(dir);
    ProcessBuilder pb = new ProcessBuilder("node", script).directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.to(log.toFile()));
    pb.environment().putAll(env);
    pb.environment().put("CHROMIUM", CHROMIUM.toString());
    Process p = pb.start();
    CompletableFuture<List<String>> out = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
    }
    List<JsonObject> lines = new ArrayList<>();
    for (String line : out.join()) {
      if (line.startsWith("{")) {
        lines.add(new JsonObject(line));
      }
    }
    return lines;
  }

  /** {@code npm ci} unless node_modules already holds exactly what package-lock.json names. */
  static synchronized void ensureInstalled(Path dir) throws IOException, InterruptedException {
    Path lock = dir.resolve("package-lock.json");
    Path installed = dir.resolve("node_modules").resolve(".package-lock.json");
    if (Files.isRegularFile(installed) && sameDependencies(lock, installed)) {
      return;
    }
    Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
        .directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!npm.waitFor(NPM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || npm.exitValue() != 0) {
      npm.destroyForcibly();
      throw new IllegalStateException("npm ci in " + dir + " failed:\n" + output);
    }
  }

  /** npm writes node_modules/.package-lock.json with the same "packages" as the lock it installed. */
  private static boolean sameDependencies(Path lock, Path installed) throws IOException {
    JsonObject wanted = new JsonObject(Files.readString(lock)).getJsonObject("packages", new JsonObject()).copy();
    wanted.remove(""); // the project itself is not in node_modules
    JsonObject have = new JsonObject(Files.readString(installed)).getJsonObject("packages", new JsonObject());
    for (String name : wanted.fieldNames()) {
      JsonObject w = wanted.getJsonObject(name);
      JsonObject h = have.getJsonObject(name);
      if (h == null || !w.getString("version", "").equals(h.getString("version"))) {
        return false;
      }
    }
    return true;
  }
}
