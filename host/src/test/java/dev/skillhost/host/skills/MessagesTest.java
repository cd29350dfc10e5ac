package dev.skillhost.host.skills;

import static dev.skillhost.host.skills.TestTemplates.localized;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Locale choice, rendering along the fallback chain, Accept-Language, and the time and percent formats. */
@Timeout(value = 5, unit = TimeUnit.SECONDS)
class MessagesTest {

  private static final Localized HELLO = localized("en", "Hello {{name}}", "zh", "你好 {{name}}", "zh-TW", "妳好 {{name}}");
  private static final List<String> EN_ZH = List.of("en", "zh");

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
      "zh-TW, zh-TW, 妳好 Mei",   // exact
      "ZH-tw, zh-TW, 妳好 Mei",   // tags compare case-insensitively
      "zh-HK, zh, 你好 Mei",      // language before a sibling
      "zh, zh, 你好 Mei",
      "en-GB, en, Hello Mei",
      "fr, en, Hello Mei",        // the skill's first locale
  })
  void renders_along_the_fallback_chain_and_says_which_locale_it_used(String asked, String used, String text) {
    assertThat(Messages.render(HELLO, EN_ZH, asked, Map.of("name", "Mei")))
        .contains(new Localized.Rendered(text, used));
  }

  @Test
  void falls_back_to_another_region_of_the_language_then_to_the_next_skill_locale() {
    Localized traditionalOnly = localized("en", "Hi", "zh-TW", "妳好");
    Localized noEnglish = localized("zh", "你好", "ja", "こんにちは");

    assertThat(Messages.render(traditionalOnly, EN_ZH, "zh-CN", Map.of())).contains(new Localized.Rendered("妳好", "zh-TW"));
    assertThat(Messages.render(noEnglish, EN_ZH, "fr", Map.of())).contains(new Localized.Rendered("你好", "zh"));
    assertThat(Messages.render(noEnglish, List.of("en"), "fr", Map.of())).contains(new Localized.Rendered("こんにちは", "ja"));
    assertThat(Messages.render(new Localized(Map.of()), EN_ZH, "en", Map.of())).isEmpty();
  }

  @Test
  void renders_a_skill_template_by_name_and_nothing_for_an_unknown_name() {
    Skill skill = TestSkills.local();

    assertThat(Messages.render(skill, "submitted", "zh-TW", Map.of("eta", "20–40 秒")))
        .contains(new Localized.Rendered("正在本机生成,预计 20–40 秒。", "zh"));
    assertThat(Messages.render(skill, "result.video", "en", Map.of())).isEmpty();
  }

  @Test
  void picks_the_first_preferred_locale_the_skill_serves_else_its_first() {
    assertThat(Messages.pick(EN_ZH, List.of("fr", "zh-TW", "en"))).isEqualTo("zh");
    assertThat(Messages.pick(List.of("zh", "en"), List.of("fr", "de"))).isEqualTo("zh");
    assertThat(Messages.pick(List.of(), List.of("fr"))).isEqualTo("en");
  }

  @Test
  void parses_accept_language_by_q_value_keeping_header_order_for_ties() {
    assertThat(Messages.acceptLanguage("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"))
        .containsExactly("fr-CH", "fr", "en", "de");
    assertThat(Messages.acceptLanguage("en;q=0.5, zh-TW, ja;q=0.5, zh;q=0.9")).containsExactly("zh-TW", "zh", "en", "ja");
    assertThat(Messages.acceptLanguage("zh;q=0, en")).containsExactly("en");
    assertThat(Messages.acceptLanguage("en;q=1.0, EN;q=0.4, ja;Q=0.3")).containsExactly("en", "ja");
  }

  @Test
  void skips_malformed_accept_language_entries_instead_of_failing() {
    assertThat(Messages.acceptLanguage("??, en;q=abc, ja, de;q=2, zh-Hant-TW;q=0.2")).containsExactly("ja", "zh-Hant-TW");
    assertThat(Messages.acceptLanguage(null)).isEmpty();
    assertThat(Messages.acceptLanguage("  ")).isEmpty();
    assertThat(Messages.acceptLanguage("*")).isEmpty();
  }

  @ParameterizedTest(name = "{0}–{1} s in {2}: {3}")
  @CsvSource(delimiter = '|', value = {
      "180 | 300  | en    | about 3–5 min",
      "30  | 60   | en    | about 30 s–1 min",
      "2   | 5    | en-US | about 2–5 s",
      "90  | 150  | en    | about 1–3 min",   // widened to whole minutes, never narrowed
      "300 | 300  | en    | about 5 min",
      "300 | 180  | en    | about 3–5 min",   // bounds in either order
      "3600| 7200 | en    | about 1–2 h",
      "180 | 300  | zh    | 约 3–5 分钟",
      "30  | 60   | zh-CN | 约 30 秒–1 分钟",
      "180 | 300  | zh-TW | 約 3–5 分鐘",
      "300 | 600  | ja    | 約 5–10 分",
      "180 | 300  | fr    | about 3–5 min",   // no French words: English
  })
  void formats_an_eta_in_the_users_language(int low, int high, String locale, String text) {
    assertThat(Messages.eta(low, high, locale)).isEqualTo(text);
  }

  @Test
  void gives_templates_the_bare_range_since_they_say_about_themselves() {
    assertThat(Messages.etaRange(180, 300, "en")).isEqualTo("3–5 min");
    assertThat(Messages.etaRange(30, 60, "zh")).isEqualTo("30 秒–1 分钟");
  }

  @Test
  void formats_percent_rounded_down_so_100_means_done() {
    assertThat(Messages.percent(0.426)).isEqualTo("42");
    assertThat(Messages.percent(0.29)).isEqualTo("29"); // 0.29 * 100 is 28.999… in binary
    assertThat(Messages.percent(0.999)).isEqualTo("99");
    assertThat(Messages.percent(1.0)).isEqualTo("100");
    assertThat(Messages.percent(-1)).isEqualTo("0");
    assertThat(Messages.percent(7)).isEqualTo("100");
  }

  @Test
  void formats_a_media_duration() {
    assertThat(Messages.duration(5, "en")).isEqualTo("5 s");
    assertThat(Messages.duration(90, "en")).isEqualTo("1 min 30 s");
    assertThat(Messages.duration(90, "zh")).isEqualTo("1 分钟 30 秒");
    assertThat(Messages.duration(3900, "en")).isEqualTo("1 h 5 min");
  }

  @Test
  void knows_a_language_tag_when_it_sees_one() {
    assertThat(List.of("en", "zh-TW", "zh-Hant-HK", "es-419")).allMatch(Messages::isLanguageTag);
    assertThat(List.of("", "english please", "zh_TW", "-en", "x".repeat(9))).noneMatch(Messages::isLanguageTag);
  }
}
