package dev.skillhost.host.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code fetch:} and {@code outputs:} sections and their environment overrides. */
class FetchConfigTest {

  @TempDir Path dir;

  @Test
  void defaults_allow_public_addresses_only_and_keep_outputs_forever() throws Exception {
    HostConfig c = ConfigLoader.load(null, Map.of());
    assertThat(c.fetch().allow()).isEmpty();
    assertThat(c.fetch().maxBytes()).isEqualTo(HostConfig.Fetch.DEFAULT_MAX_BYTES);
    assertThat(c.outputs().keepFor()).isEqualTo(Duration.ZERO);
    assertThat(c.outputs().linkTtl()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void the_file_and_the_environment_set_them() throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, """
        fetch:
          allow: [127.0.0.1/32, 10.1.2.0/24]
          max_bytes: 1000
          timeout_s: 9
          first_byte_s: 3
          content_types: [image/*]
        outputs:
          keep_days: 7
          link_ttl_s: 600
        """);
    HostConfig c = ConfigLoader.load(file, Map.of());
    assertThat(c.fetch()).isEqualTo(new HostConfig.Fetch(List.of("127.0.0.1/32", "10.1.2.0/24"), 1000,
        Duration.ofSeconds(9), Duration.ofSeconds(3), List.of("image/*")));
    assertThat(c.outputs()).isEqualTo(new HostConfig.Outputs(Duration.ofDays(7), Duration.ofSeconds(600)));
    HostConfig e = ConfigLoader.load(file, Map.of("SKILLHOST_FETCH_ALLOW", "", "SKILLHOST_FETCH_MAX_BYTES", "5",
        "SKILLHOST_OUTPUTS_KEEP_DAYS", "0", "SKILLHOST_LINK_TTL_S", "60"));
    assertThat(e.fetch().allow()).isEmpty();
    assertThat(e.fetch().maxBytes()).isEqualTo(5);
    assertThat(e.outputs()).isEqualTo(new HostConfig.Outputs(Duration.ZERO, Duration.ofSeconds(60)));
  }

  @Test
  void a_bad_allowance_is_reported_where_it_is() throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "fetch:\n  allow: [internal.example]\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).hasMessageStartingWith(file + ":2:10:")
        .hasMessageContaining("names are not allowed");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SKILLHOST_FETCH_ALLOW", "10.0.0.0/99")))
        .hasMessageContaining("SKILLHOST_FETCH_ALLOW");
  }
}
