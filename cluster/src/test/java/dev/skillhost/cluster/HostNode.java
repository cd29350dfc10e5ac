package dev.skillhost.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One host as an operator runs it: {@code java -jar host/target/skillhost-host-0.1.0.jar serve
 * --config <file>} in a process of its own, with its own data directory, log and port (read back
 * from the banner once it is up). The store and the shared directory come from the environment
 * ({@code SKILLHOST_STORE_URL}, {@code SKILLHOST_SHARED_DIR}), as {@code scripts/cluster.sh} gives them.
 */
public final class HostNode {

  private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:(\\d+))");

  public final String name;
  public final Path dataDir;
  public final Path config;
  public final Path log;
  private final Map<String, String> env;
  private final List<String> jvmArgs;
  private Process process;
  private int port;
  /** Where this start's output begins in the log (a restarted node appends to it). */
  private long logStart;

  HostNode(String name, Path dataDir, Path config, Map<String, String> env, List<String> jvmArgs) {
    this.name = name;
    this.dataDir = dataDir;
    this.config = config;
    this.log = dataDir.resolve("host.log");
    this.env = Map.copyOf(env);
    this.jvmArgs = List.copyOf(jvmArgs);
  }

  /** Starts the process (again, after a kill: same data directory); {@link #awaitUp} waits for its banner. */
  void start() throws IOException {
    logStart = Files.exists(log) ? Files.size(log) : 0;
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-jar", Repo.hostJar().toString(), "serve", "--config", config.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dataDir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("SKILLHOST_"));
    pb.environment().putAll(env);
    process = pb.start();
    port = 0;
  }

  /** Waits until the banner names the port and the API answers; fails with the log's tail otherwise. */
  void awaitUp(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited (" + process.exitValue() + ") before it was up:\n" + tail());
      }
      if (Files.exists(log) && Files.size(log) > logStart) {
        byte[] all = Files.readAllBytes(log);
        Matcher m = LISTENING.matcher(new String(all, (int) logStart, all.length - (int) logStart,
            java.nio.charset.StandardCharsets.UTF_8));
        if (m.find()) {
          port = Integer.parseInt(m.group(2));
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(name + " did not start within " + timeout + ":\n" + tail());
  }

  /**
   * {@code kill -9}: {@link Process#destroyForcibly()} is SIGKILL on Linux. Answers the moment the
   * process was seen dead, so that every event stored later was written by another node.
   */
  public long kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " survived SIGKILL");
    }
    return System.currentTimeMillis();
  }

  /** Sends SIGTERM without waiting, so that several nodes shut down at once. */
  void terminate() {
    if (process != null && process.isAlive()) {
      process.destroy();
    }
  }

  /** SIGTERM: the host's shutdown hook closes it cleanly; SIGKILL after 20 s. */
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  /** The exit status once dead: 137 (128 + 9) after {@link #kill()}. */
  public int exitValue() {
    return process.exitValue();
  }

  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The last lines of the node's log, for failure messages. */
  public String tail() {
    try {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return name + (port > 0 ? "@" + port : "");
  }
}
