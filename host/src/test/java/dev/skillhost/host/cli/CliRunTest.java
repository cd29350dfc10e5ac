package dev.skillhost.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code skillhost run} as a real process against a real host with the sim plugin. */
@ExtendWith(SharedHost.Extension.class)
class CliRunTest {

  static final String PHOTO = Skillhost.REPO.resolve("samples/photo.png").toString();

  @TempDir Path out;

  private static String[] withHost(String... args) {
    SharedHost h = SharedHost.get();
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url";
    all[args.length + 1] = h.url();
    all[args.length + 2] = "--key";
    all[args.length + 3] = h.host.key;
    return all;
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void run_uploads_routes_follows_the_task_and_downloads_the_result() throws Exception {
    Skillhost.Result r = Skillhost.run(withHost("run", "animate this photo", "--file", PHOTO, "--skill", "sim",
        "--param", "duration_ms=1000", "--out", out.toString()));

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("Route:").contains("skill      sim").contains("operation  i2v").contains("eta        3–6 s");
    assertThat(r.out()).containsPattern("\\[0:\\d\\d\\] running \\d+% step \\d+ of 10"); // plain lines: stdout is a file
    assertThat(r.out()).contains("succeeded").contains("Saved " + out);
    try (var files = Files.list(out)) {
      Path gif = files.filter(p -> p.toString().endsWith(".gif")).findFirst().orElseThrow();
      assertThat(Files.size(gif)).isGreaterThan(100);
      assertThat(gif.getFileName().toString()).startsWith("t_");
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void run_json_prints_one_document_with_the_task_and_the_saved_files() throws Exception {
    Skillhost.Result r = Skillhost.run(withHost("run", "make a short video of a cat", "--skill", "sim", "--json", "--yes",
        "--param", "duration_ms=500", "--out", out.toString()));

    assertThat(r.exit()).as(r.toString()).isZero();
    JsonObject doc = new JsonObject(r.out().strip());
    assertThat(doc.getJsonObject("task").getString("state")).isEqualTo("succeeded");
    assertThat(doc.getJsonObject("task").getString("operation")).isEqualTo("t2v");
    assertThat(doc.getJsonObject("route").getString("skill")).isEqualTo("sim");
    assertThat(Path.of(doc.getJsonArray("files").getString(0))).exists();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void a_spend_the_skill_wants_confirmed_is_asked_and_goes_on_after_yes() throws Exception {
    // sim t2v asks to confirm when its estimate is over 100 credits; cost=150 makes it so
    Skillhost.Result r = Skillhost.runIn(SharedHost.get().root, "y\n", Map.of(), withHost("run",
        "make a short video of a cat", "--skill", "sim", "--param", "cost=150", "--param", "duration_ms=500",
        "--out", out.toString()));

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.err()).contains("Spend 150 credits (sim_credits)? [y/N]");
    assertThat(r.out()).contains("awaiting_confirmation").contains("succeeded").contains("Saved ");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void a_declined_spend_cancels_the_task_and_spends_nothing() throws Exception {
    Skillhost.Result r = Skillhost.run(withHost("run", "make a short video of a cat", "--skill", "sim",
        "--param", "cost=150", "--out", out.toString())); // no answer on stdin: no

    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    String last = r.errLines().get(r.errLines().size() - 1);
    assertThat(last).matches("skillhost: Not confirmed: task t_\\w+ was cancelled and nothing was spent\\.");
    String id = last.replaceAll(".*task (t_\\w+).*", "$1");
    assertThat(SharedHost.get().task(id).getString("state")).isEqualTo("cancelled");
    assertThat(SharedHost.get().host.simSubmits(id)).isZero();
  }
}
