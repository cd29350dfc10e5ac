package dev.skillhost.libtv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skillhost.api.ProviderException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LibTvKeyTest {

  @Test
  void the_prefix_picks_the_backend() {
    assertThat(LibTvKey.parse("mgk_abc").orElseThrow().mode()).isEqualTo(LibTvKey.Mode.GATEWAY);
    assertThat(LibTvKey.parse("sk-libtv-abc").orElseThrow().mode()).isEqualTo(LibTvKey.Mode.DIRECT);
  }

  @Test
  void the_seeds_underscore_typo_and_bare_prefixes_are_not_keys() {
    assertThat(LibTvKey.parse("sk-libtv_abc")).isEmpty();
    assertThat(LibTvKey.parse("mgk_")).isEmpty();
    assertThat(LibTvKey.parse("sk-libtv-")).isEmpty();
    assertThat(LibTvKey.parse("sk-abc")).isEmpty();
    assertThat(LibTvKey.parse(null)).isEmpty();
  }

  @Test
  void a_malformed_key_is_one_line_naming_the_valid_prefixes_and_not_the_key() {
    String problem = LibTvKey.problem(Optional.of("sk-libtv_secret123")).orElseThrow();
    assertThat(problem).contains("mgk_").contains("sk-libtv-").doesNotContain("secret123").doesNotContain("\n");
    assertThat(LibTvKey.problem(Optional.empty()).orElseThrow()).contains("LIBTV_ACCESS_KEY");
    assertThat(LibTvKey.problem(Optional.of("mgk_ok"))).isEmpty();
  }

  @Test
  void using_a_malformed_key_is_a_refusal_that_spent_nothing() {
    assertThatThrownBy(() -> LibTvKey.require(Optional.of("bogus")))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.rejected()).isTrue();
          assertThat(e.code()).isEqualTo("invalid_key_format");
        });
  }

  @Test
  void logs_see_only_the_prefix_and_the_last_four_characters() {
    assertThat(LibTvKey.parse("sk-libtv-0123456789abcd").orElseThrow().toString()).isEqualTo("LibTvKey[sk-libtv-…abcd]");
  }
}
