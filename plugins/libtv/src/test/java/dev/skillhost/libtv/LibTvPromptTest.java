package dev.skillhost.libtv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skillhost.api.ProviderException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LibTvPromptTest {

  @Test
  void the_ratio_is_appended_only_when_the_text_names_none() {
    assertThat(LibTvPrompt.message("a cat", List.of(), "16:9")).isEqualTo("a cat, video ratio 16:9");
    assertThat(LibTvPrompt.message("a 9:16 cat", List.of(), "16:9")).isEqualTo("a 9:16 cat");
    assertThat(LibTvPrompt.message("a cat poster", List.of(), null)).isEqualTo("a cat poster");
  }

  @Test
  void references_follow_on_their_own_lines_after_the_ratio() {
    assertThat(LibTvPrompt.message("dance", List.of(new LibTvPrompt.Reference("image", "https://x/a.png")), "1:1"))
        .isEqualTo("dance, video ratio 1:1\nreference image: https://x/a.png");
  }

  @Test
  void an_empty_prompt_is_refused_before_sending() {
    assertThatThrownBy(() -> LibTvPrompt.message(" ", List.of(), "16:9"))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.rejected()).isTrue());
  }
}
