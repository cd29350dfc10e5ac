package dev.skillhost.host.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsConfigTest {

  @TempDir Path dir;

  @Test
  void metrics_are_on_the_api_behind_the_key_by_default() throws Exception {
    assertThat(ConfigLoader.load(null, Map.of()).metrics()).isEqualTo(HostConfig.Metrics.ON_API);
  }

  @Test
  void a_metrics_section_gives_a_listener_of_its_own() throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "metrics:\n  host: 0.0.0.0\n  port: 9100\n");
    assertThat(ConfigLoader.load(file, Map.of()).metrics()).isEqualTo(new HostConfig.Metrics("0.0.0.0", 9100));
    Files.writeString(file, "metrics:\n  host: 127.0.0.1\n");
    assertThat(ConfigLoader.load(file, Map.of()).metrics().port()).isEqualTo(HostConfig.DEFAULT_METRICS_PORT);
  }

  @Test
  void environment_overrides_the_metrics_address() throws Exception {
    assertThat(ConfigLoader.load(null, Map.of("SKILLHOST_METRICS_HOST", "127.0.0.1", "SKILLHOST_METRICS_PORT", "9200"))
        .metrics()).isEqualTo(new HostConfig.Metrics("127.0.0.1", 9200));
  }

  @Test
  void a_port_without_a_host_and_unknown_keys_are_refused_with_their_position() throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "metrics:\n  port: 9100\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).hasMessage(file
        + ":2:9: metrics.port needs metrics.host too (e.g. host: 127.0.0.1); without both, /metrics is served on the API"
        + " behind the key");
    Files.writeString(file, "metrics:\n  path: /m\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).hasMessageStartingWith(file + ":2:3: unknown key 'path'");
  }
}
