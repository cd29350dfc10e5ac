package dev.skillhost.host.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The CLI as a real process: {@code bin/skillhost} with this test run's class path
 * ({@code SKILLHOST_CLASSPATH}), so the wrapper script is what users run, before any jar is
 * packaged. No SKILLHOST_* variable leaks in from the machine.
 */
final class Skillhost {

  static final Path REPO = Path.of("").toAbsolutePath().getParent(); // tests run in host/
  static final Path WRAPPER = REPO.resolve("bin/skillhost");

  /** What a finished process left: its exit status and both streams. */
  record Result(int exit, String out, String err) {
    List<String> errLines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private Skillhost() {}

  static Result run(String... args) throws Exception {
    return start(SharedHost.get().root, "", Map.of(), args).get();
  }

  static Result runIn(Path cwd, String stdin, Map<String, String> env, String... args) throws Exception {
    return start(cwd, stdin, env, args).get();
  }

  /** Starts the process; the future completes when it has exited (killed after 30 s). */
  static CompletableFuture<Result> start(Path cwd, String stdin, Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(List.of("sh", WRAPPER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SKILLHOST_"));
    pb.environment().put("SKILLHOST_CLASSPATH", classPath());
    pb.environment().putAll(env);
    Path out = Files.createTempFile("cli-out", ".txt");
    Path err = Files.createTempFile("cli-err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    return p.onExit().orTimeout(30, TimeUnit.SECONDS).thenApply(done -> {
      try {
        Result r = new Result(done.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).whenComplete((r, e) -> p.destroyForcibly());
  }

  /** Surefire puts the test class path (host classes and every dependency) in java.class.path. */
  static String classPath() {
    return System.getProperty("java.class.path");
  }
}
