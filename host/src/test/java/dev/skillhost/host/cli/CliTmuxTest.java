package dev.skillhost.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress bar as a person sees it: {@code skillhost run} in a tmux pane (a real terminal),
 * the pane captured while the task runs. Needs Debian's tmux (.ci/run installs it).
 */
@ExtendWith(SharedHost.Extension.class)
class CliTmuxTest {

  /** "sim t2v  42% |█████▍      |  42/100 (0:00:01 / 0:00:02) running · step 5 of 10" */
  private static final Pattern BAR = Pattern.compile(
      "sim t2v +(\\d{1,3})% \\|█*[ ▏▎▍▌▋▊▉]*\\| +\\d+/100 \\(0:00:\\d\\d / (0:00:\\d\\d|\\?)\\) running · step \\d+ of 10");

  @TempDir Path dir;

  @Test
  @Timeout(value = 40, unit = TimeUnit.SECONDS)
  void run_draws_a_live_progress_bar_in_a_terminal() throws Exception {
    assumeTrue(tmuxPresent(), "tmux is not installed (apt-get install tmux): the progress bar needs a real terminal");
    SharedHost h = SharedHost.get();
    Path script = dir.resolve("run.sh");
    Files.writeString(script, String.join("\n",
        "export LANG=C.UTF-8 SKILLHOST_CLASSPATH='" + Skillhost.classPath() + "'",
        "sh '" + Skillhost.WRAPPER + "' run 'make a short video of a cat' --skill sim --param duration_ms=4000"
            + " --url " + h.url() + " --key " + h.host.key + " --out '" + dir + "'",
        "echo EXIT=$?", "sleep 60", ""), StandardCharsets.UTF_8);
    String socket = "skillhost-cli-" + ProcessHandle.current().pid();
    try {
      tmux(socket, "-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "30", "sh " + script);
      String bar = null;
      String pane = "";
      while (!pane.contains("EXIT=")) {
        pane = tmux(socket, "capture-pane", "-p");
        Matcher m = BAR.matcher(pane);
        if (bar == null && m.find() && Integer.parseInt(m.group(1)) > 0 && Integer.parseInt(m.group(1)) < 100) {
          bar = m.group();
        }
        Thread.sleep(100);
      }
      assertThat(bar).as("a bar drawn mid-run; last pane:\n" + pane).isNotNull().contains("█");
      assertThat(pane).contains("EXIT=0").contains("Task t_").contains("succeeded.").contains("Saved ");
    } finally {
      tmux(socket, "kill-server");
    }
  }

  private static boolean tmuxPresent() {
    try {
      return new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static String tmux(String socket, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("tmux", "-L", socket));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }
}
