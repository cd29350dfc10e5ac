package dev.skillhost.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands on existing tasks, each a real process. Tasks are made over the API, so each test
 * checks one command. Independent processes run at the same time to keep the suite short.
 */
@ExtendWith(SharedHost.Extension.class)
class CliTasksTest {

  @TempDir Path out;

  private static SharedHost h() {
    return SharedHost.get();
  }

  /** The URL from --url and the key from ./data/api-keys, as beside a host started with `make run`. */
  private static CompletableFuture<Skillhost.Result> cli(String... args) throws Exception {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--url";
    all[args.length + 1] = h().url();
    return Skillhost.start(h().root, "", Map.of(), all);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void tasks_get_and_download_show_and_save_a_finished_task() throws Exception {
    String id = h().submit("t2v", new JsonObject().put("duration_ms", 300));
    JsonObject done = h().awaitState(id, "succeeded");

    var list = cli("tasks", "--state", "succeeded,failed", "--limit", "5");
    var listJson = cli("tasks", "--state", "succeeded", "--json");
    var get = cli("get", id);
    var getJson = cli("get", id, "--json");
    var download = cli("download", id, "--out", out.toString());

    Skillhost.Result r = list.get();
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("ID").contains("STATE").containsPattern(id + " +succeeded +sim/t2v +100%");
    r = listJson.get();
    assertThat(r.exit()).as(r.toString()).isZero();
    JsonArray tasks = new JsonObject(r.out().strip()).getJsonArray("tasks");
    assertThat(tasks.stream().map(t -> ((JsonObject) t).getString("state"))).containsOnly("succeeded");
    r = get.get();
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith(id + "  succeeded  sim/t2v  100%").contains("output  video image/gif /v1/files/");
    r = getJson.get();
    assertThat(new JsonObject(r.out().strip()).getString("id")).isEqualTo(id);
    r = download.get();
    assertThat(r.exit()).as(r.toString()).isZero();
    Path saved = out.resolve(id + ".gif");
    assertThat(r.out().strip()).startsWith("Saved " + saved);
    assertThat(Files.size(saved)).isEqualTo(done.getJsonArray("outputs").getJsonObject(0)
        .getJsonObject("meta").getLong("bytes"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void watch_json_prints_one_json_line_per_event_until_the_end() throws Exception {
    String id = h().submit("t2v", new JsonObject().put("duration_ms", 800));

    Skillhost.Result r = cli("watch", id, "--json").get();

    assertThat(r.exit()).as(r.toString()).isZero();
    List<JsonObject> events = r.out().lines().map(JsonObject::new).toList();
    assertThat(events).extracting(e -> e.getString("task")).containsOnly(id);
    assertThat(events).extracting(e -> e.getString("type")).contains("state", "progress", "output");
    assertThat(events).extracting(e -> e.getLong("seq")).isSorted().doesNotHaveDuplicates();
    assertThat(events.get(events.size() - 1).getString("state")).isEqualTo("succeeded");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void cancel_and_confirm_act_on_tasks_made_elsewhere() throws Exception {
    String slow = h().submit("t2v", new JsonObject().put("duration_ms", 60_000));
    String costly = h().submit("t2v", new JsonObject().put("duration_ms", 300).put("cost", 150));
    h().awaitState(costly, "awaiting_confirmation");

    var cancel = cli("cancel", slow);
    var confirm = cli("confirm", costly);

    Skillhost.Result r = cancel.get();
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith(slow + "  ");
    assertThat(h().awaitState(slow, "cancelled").getString("state")).isEqualTo("cancelled");
    r = confirm.get();
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(h().awaitState(costly, "succeeded").getJsonArray("outputs")).isNotEmpty();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void the_key_comes_from_the_data_dir_named_by_flag_or_environment() throws Exception {
    String id = h().submit("t2v", new JsonObject().put("duration_ms", 100));
    h().awaitState(id, "succeeded");
    String data = h().root.resolve("data").toString();
    // run elsewhere than beside the host: ./data/api-keys is not there
    var flag = Skillhost.start(out, "", Map.of("SKILLHOST_URL", h().url()), "get", id, "--data-dir", data);
    var env = Skillhost.start(out, "", Map.of("SKILLHOST_URL", h().url(), "SKILLHOST_DATA_DIR", data), "get", id);
    var neither = Skillhost.start(out, "", Map.of("SKILLHOST_URL", h().url()), "get", id);

    for (Skillhost.Result r : List.of(flag.get(), env.get())) {
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out()).startsWith(id + "  succeeded");
    }
    Skillhost.Result r = neither.get();
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("skillhost: No API key");
  }
}
