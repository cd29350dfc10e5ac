package dev.skillhost.local.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code ffprobe} and {@code ffmpeg}, used only to check outputs independently of the
 * plugin's own FFmpeg. Missing tools fail the test (never skip it): {@code .ci/run} installs them.
 */
public final class Tools {

  private Tools() {}

  /** Runs a tool and answers its standard output; fails the test if it is missing or exits non-zero. */
  public static byte[] run(String tool, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(tool);
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
    } catch (IOException e) {
      throw new AssertionError(tool + " is not installed (it checks the produced media independently):"
          + " apt-get update && apt-get install -y ffmpeg  (.ci/run does this)", e);
    }
    try {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread drain = new Thread(() -> copy(p.getErrorStream(), err));
      drain.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(tool + " did not finish in 60 s");
      }
      drain.join();
      if (p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", cmd) + " exited " + p.exitValue() + ": "
            + err.toString(StandardCharsets.UTF_8));
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException e) {
      // the exit code tells
    }
  }
}
