package dev.skillhost.contract.mcp;

import dev.skillhost.host.testing.TestHost;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code src/test/node/mcp/scenario.mjs <name>}: the official TypeScript MCP SDK client
 * as a real node process against a real host. Stdout is one JSON observation per line
 * ({@code {"obs": name, …}}), stderr one plain line when the scenario failed.
 */
record NodeScenario(String name, int exit, List<JsonObject> observations, String stderr) {

  /** The scenarios and their package.json / package-lock.json (tests run in contract/). */
  static final Path DIR = Path.of("src", "test", "node", "mcp");
  static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);
  /** Each run's stdout and stderr stay here for a look after a failure (tests run in contract/). */
  static final Path LOGS = Path.of("target", "mcp-scenarios");

  /**
   * {@code npm ci} unless node_modules already holds what package-lock.json pins (npm writes its
   * own copy of the lock, {@code node_modules/.package-lock.json}, after each install).
   */
  static synchronized void install() throws IOException, InterruptedException {
    Path installed = DIR.resolve("node_modules").resolve(".package-lock.json");
    Path lock = DIR.resolve("package-lock.json");
    if (Files.isRegularFile(installed)
        && !Files.getLastModifiedTime(installed).toInstant().isBefore(Files.getLastModifiedTime(lock).toInstant())) {
      return;
    }
    Path log = Files.createTempFile("npm-ci", ".log");
    Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
        .directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("npm ci took over " + INSTALL_TIMEOUT + ": " + Files.readString(log));
    }
    if (p.exitValue() != 0) {
      throw new IOException("npm ci failed in " + DIR.toAbsolutePath() + ": " + Files.readString(log));
    }
  }

  /** The environment every scenario reads: the host's MCP URL and its two API keys. */
  static Map<String, String> env(TestHost host) {
    Map<String, String> env = new HashMap<>();
    env.put("SKILLHOST_MCP_URL", "http://127.0.0.1:" + host.port() + "/mcp");
    env.put("SKILLHOST_KEY", host.key);
    env.put("SKILLHOST_OTHER_KEY", host.otherKey);
    return env;
  }

  /** Runs a scenario to its end (blocking: call it from executeBlocking) or kills it after {@code timeout}. */
  static NodeScenario run(String name, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(LOGS);
    Path out = LOGS.resolve(name + ".out");
    Path err = LOGS.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder("node", "scenario.mjs", name).directory(DIR.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("scenario " + name + " ran over " + timeout + "; stdout:\n" + Files.readString(out)
          + "\nstderr:\n" + Files.readString(err));
    }
    List<JsonObject> lines = Files.readAllLines(out).stream().filter(l -> !l.isBlank()).map(JsonObject::new).toList();
    return new NodeScenario(name, p.exitValue(), lines, Files.readString(err).strip());
  }

  /** Fails with the scenario's own stderr line (and what it saw) unless it exited 0. */
  NodeScenario succeeded() {
    if (exit != 0) {
      throw new AssertionError("scenario " + name + " exited " + exit + ": " + stderr + "\nobservations:\n" + transcript());
    }
    return this;
  }

  /** The first observation called {@code obs}. */
  JsonObject obs(String obs) {
    return observations.stream().filter(o -> obs.equals(o.getString("obs"))).findFirst()
        .orElseThrow(() -> new AssertionError("scenario " + name + " made no observation " + obs + ":\n" + transcript()
            + (stderr.isEmpty() ? "" : "\nstderr: " + stderr)));
  }

  String transcript() {
    StringBuilder b = new StringBuilder();
    observations.forEach(o -> b.append(o.encode()).append('\n'));
    return b.toString();
  }
}
