package dev.skillhost.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes end in a non-zero exit and one plain sentence on stderr, never a stack trace. The
 * processes run side by side (each is independent) to keep the suite short.
 */
@ExtendWith(SharedHost.Extension.class)
class CliErrorsTest {

  @TempDir Path empty;

  /** What each case must say, and the exit status it must end with. */
  private record Expect(CompletableFuture<Skillhost.Result> run, int exit, String line) {}

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void each_mistake_ends_in_one_plain_sentence_and_a_nonzero_exit() throws Exception {
    SharedHost h = SharedHost.get();
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // free once closed: nothing listens there
    }
    String down = "http://127.0.0.1:" + closed;
    Map<String, String> host = Map.of("SKILLHOST_URL", h.url(), "SKILLHOST_KEY", h.host.key);
    Map<String, Expect> cases = new LinkedHashMap<>();
    cases.put("host down", new Expect(Skillhost.start(h.root, "", Map.of(), "tasks", "--url", down), 3,
        "skillhost: Cannot reach the host at " + down + "; is it running (skillhost serve), and is --url or SKILLHOST_URL right?"));
    cases.put("bad key", new Expect(Skillhost.start(h.root, "", Map.of("SKILLHOST_URL", h.url()), "get", "t_x", "--key", "sk_wrong"), 1,
        "skillhost: The host at " + h.url() + " refused the API key from --key; pass --key, set SKILLHOST_KEY,"
            + " or point --data-dir at the host's data directory."));
    cases.put("unknown task", new Expect(Skillhost.start(h.root, "", host, "get", "t_nope"), 1,
        "skillhost: There is no task 't_nope' for this key."));
    cases.put("missing file", new Expect(Skillhost.start(h.root, "", host, "run", "animate this photo", "--file", "nope.jpg"), 2,
        "skillhost: No file at nope.jpg."));
    cases.put("no key anywhere", new Expect(Skillhost.start(empty, "", Map.of("SKILLHOST_URL", h.url()), "tasks"), 2,
        "skillhost: No API key: pass --key, set SKILLHOST_KEY, or run where the host keeps data/api-keys"
            + " (or point --data-dir at its data directory)."));
    cases.put("unknown option", new Expect(Skillhost.start(h.root, "", host, "tasks", "--colour"), 2,
        "skillhost: Unknown option: '--colour' (see: skillhost tasks --help)"));

    for (Map.Entry<String, Expect> c : cases.entrySet()) {
      Skillhost.Result r = c.getValue().run().get();
      assertThat(r.exit()).as(c.getKey() + "\n" + r).isEqualTo(c.getValue().exit());
      assertThat(r.errLines()).as(c.getKey() + "\n" + r).containsExactly(c.getValue().line());
      assertThat(r.out() + r.err()).as(c.getKey()).doesNotContain("Exception").doesNotContain("at dev.");
    }
  }
}
