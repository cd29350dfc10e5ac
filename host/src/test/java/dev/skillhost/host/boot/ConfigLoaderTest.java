package dev.skillhost.host.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void the_readme_example_loads_as_documented() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    int start = readme.indexOf("```yaml\n") + 8;
    Path file = dir.resolve("skillhost.yaml");
    Files.writeString(file, readme.substring(start, readme.indexOf("```", start)));
    HostConfig c = ConfigLoader.load(file, Map.of());
    assertThat(c.http()).isEqualTo(new HostConfig.Http("127.0.0.1", 8080, 1_048_576));
    assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(c.pluginsDir()).isEqualTo(Path.of("./data/plugins"));
    assertThat(c.uploads().maxBytes()).isEqualTo(209_715_200L);
    assertThat(c.polling()).isEqualTo(new HostConfig.Polling(Duration.ofSeconds(2), Duration.ofSeconds(60), 30));
    assertThat(c.skills()).isEqualTo(new HostConfig.Skills(Path.of("./skills"),
        java.util.List.of("local", "chatart", "lovart", "nemovideo", "libtv", "sim"),
        Map.of("lovart", java.util.List.of("chatart"))));
    assertThat(dev.skillhost.host.plugins.ProviderCircuit.Settings.of(c.providers().get("lovart")))
        .isEqualTo(dev.skillhost.host.plugins.ProviderCircuit.Settings.DEFAULTS);
    assertThat(c.providers().get("sim").getString("account")).isEqualTo("default");
  }

  @Test
  void the_store_section_names_postgres_a_shared_dir_and_a_lease(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("skillhost.yaml");
    // the README's commented store line, uncommented
    String readme = Files.readString(Path.of("../README.md"));
    String line = readme.lines().filter(l -> l.startsWith("# store: {url:")).findFirst().orElseThrow().substring(2);
    Files.writeString(file, line + "\n");
    HostConfig c = ConfigLoader.load(file, Map.of());
    assertThat(c.store()).isEqualTo(new HostConfig.Store("postgres://skillhost:secret@db:5432/skillhost",
        Path.of("/srv/skillhost"), Duration.ofSeconds(5)));
    assertThat(c.sharedDir()).isEqualTo(Path.of("/srv/skillhost"));
    dev.skillhost.host.store.StoreUrl url = dev.skillhost.host.store.StoreUrl.parse(c.store().url());
    assertThat(url.jdbc()).isEqualTo("jdbc:postgresql://db:5432/skillhost");
    assertThat(url.user()).isEqualTo("skillhost");
    assertThat(url.toString()).doesNotContain("secret");
    assertThat(ConfigLoader.load(null, Map.of()).store().postgres()).isFalse();
    assertThat(ConfigLoader.load(null, Map.of()).sharedDir()).isEqualTo(Path.of("data"));
    assertThat(ConfigLoader.load(null, Map.of("SKILLHOST_STORE_URL", "postgresql://u@127.0.0.1/x")).store().postgres())
        .isTrue();
  }

  @Test
  void a_store_url_that_is_not_postgres_is_refused_at_its_position(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("skillhost.yaml");
    Files.writeString(file, "store:\n  url: mysql://db/skillhost\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .hasMessageContaining("skillhost.yaml:2:8")
        .hasMessageContaining("postgres://user:password@host:5432/database");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SKILLHOST_STORE_URL", "postgres://")))
        .hasMessageStartingWith("SKILLHOST_STORE_URL: ");
  }

  @Test
  void provider_sections_keep_yaml_types(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("skillhost.yaml");
    Files.writeString(file, "providers:\n  x: {n: 5, big: 1_000_000, f: 1.5, b: true, s: \"5\", z: ~, l: [1, a]}\n"
        + "  lovart: {circuit: {max_failures: 2, window_ms: 1000, reset_ms: 500}}\n");
    HostConfig c = ConfigLoader.load(file, Map.of());
    io.vertx.core.json.JsonObject x = c.providers().get("x");
    assertThat(x.getInteger("n")).isEqualTo(5);
    assertThat(x.getLong("big")).isEqualTo(1_000_000L);
    assertThat(x.getDouble("f")).isEqualTo(1.5);
    assertThat(x.getBoolean("b")).isTrue();
    assertThat(x.getValue("s")).isEqualTo("5");
    assertThat(x.containsKey("z")).isTrue();
    assertThat(x.getValue("z")).isNull();
    assertThat(x.getJsonArray("l").getList()).containsExactly(1L, "a");
    // numbers were text before: a circuit section in the config was silently the defaults
    assertThat(dev.skillhost.host.plugins.ProviderCircuit.Settings.of(c.providers().get("lovart")))
        .isEqualTo(new dev.skillhost.host.plugins.ProviderCircuit.Settings(2, Duration.ofSeconds(1), Duration.ofMillis(500)));
  }

  @Test
  void defaults_bind_loopback_8080_with_data_in_dot_data() throws Exception {
    HostConfig c = ConfigLoader.load(null, Map.of());
    assertThat(c.http().host()).isEqualTo("127.0.0.1");
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.dataDir()).isEqualTo(Path.of("data"));
    assertThat(c.uploads().maxBytes()).isEqualTo(200L * 1024 * 1024);
  }

  @Test
  void environment_overrides_the_file() throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "http:\n  port: 9000\n");
    HostConfig c = ConfigLoader.load(file, Map.of("SKILLHOST_HTTP_PORT", "9100", "SKILLHOST_DATA_DIR", "/tmp/x"));
    assertThat(c.http().port()).isEqualTo(9100);
    assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/x"));
    assertThat(c.pluginsDir()).isEqualTo(Path.of("/tmp/x/plugins"));
  }

  @Test
  void an_unknown_key_is_reported_with_file_line_and_column() throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "http:\n  host: 0.0.0.0\n  prot: 80\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .hasMessage(file + ":3:3: unknown key 'prot'; known here: body_limit, host, port");
  }

  @Test
  void a_bad_value_or_yaml_syntax_is_reported_where_it_is() throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "polling:\n  min_interval_ms: soon\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .hasMessage(file + ":2:20: expected a whole number from 10 to 3600000, not 'soon'");
    Files.writeString(file, "http: {port: 80\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).hasMessageStartingWith(file + ":2:1: ");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SKILLHOST_HTTP_PORT", "eighty")))
        .hasMessage("SKILLHOST_HTTP_PORT must be a whole number from 0 to 65535, not 'eighty'");
  }

  @Test
  void net_allow_and_the_outbox_schedule_are_read_and_a_bad_range_is_reported_where_it_is() throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "net:\n  allow: [127.0.0.1, 10.1.2.0/24]\noutbox:\n  retry_schedule_ms: [0, 100, 2000]\n"
        + "  poll_interval_ms: 50\n  timeout_ms: 3000\n");
    HostConfig c = ConfigLoader.load(file, Map.of());
    assertThat(c.net().allow()).containsExactly("127.0.0.1", "10.1.2.0/24");
    assertThat(c.outbox().retrySchedule()).containsExactly(Duration.ZERO, Duration.ofMillis(100), Duration.ofSeconds(2));
    assertThat(c.outbox().pollInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(c.outbox().timeout()).isEqualTo(Duration.ofSeconds(3));

    HostConfig d = ConfigLoader.load(null, Map.of());
    assertThat(d.net().allow()).isEmpty();
    assertThat(d.outbox().retrySchedule()).hasSize(8).endsWith(Duration.ofHours(10));

    Files.writeString(file, "net:\n  allow:\n    - example.com\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .hasMessageStartingWith(file + ":3:7: ").hasMessageContaining("example.com");
  }
}
