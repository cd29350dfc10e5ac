package dev.skillhost.host.skills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.OperationInfo;
import dev.skillhost.api.ProviderInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifest fixture corpus (vertx-openapi style): one file per case under
 * {@code src/test/resources/skills/{invalid,valid}/}, each ending with the {@code # expect:} lines
 * its problems must print as, exactly ({@code line:column: severity: message}), in file order.
 */
class ManifestFixturesTest {

  static final Path FIXTURES = Path.of("src/test/resources/skills");
  static final Path MANIFESTS = Path.of("../skills");

  /** The sim provider as the plugin host reports it, so operations are checked against it. */
  static final ProviderInfo SIM = new ProviderInfo("sim", "Simulator", "for tests", ProviderInfo.Kind.SIMULATED,
      List.of(new OperationInfo("text2image", "", List.of(), null), new OperationInfo("t2v", "", List.of(), null),
          new OperationInfo("i2v", "", List.of("image"), null)),
      List.of(), List.of(), false);

  static final SkillLoader LOADER = SkillLoader.create(id -> id.equals("sim") ? Optional.of(SIM) : Optional.empty());

  static Stream<Path> invalid() throws IOException {
    return fixtures("invalid");
  }

  static Stream<Path> valid() throws IOException {
    return fixtures("valid");
  }

  static Stream<Path> shipped() throws IOException {
    try (Stream<Path> s = Files.list(MANIFESTS)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalid_manifest_is_refused_with_every_problem_at_its_place(Path file) throws IOException {
    LoadResult r = LOADER.load(file);

    assertThat(r.ok()).isFalse();
    assertThat(r.skill()).isNull();
    assertThat(expected(file)).as("the fixture states what it expects").isNotEmpty();
    assertThat(printed(file, r)).isEqualTo(expected(file));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void valid_manifest_loads_with_only_the_expected_warnings(Path file) throws IOException {
    LoadResult r = LOADER.load(file);

    assertThat(r.errors()).isEmpty();
    assertThat(r.ok()).isTrue();
    assertThat(printed(file, r)).isEqualTo(expected(file));
  }

  @Test
  void the_corpus_has_at_least_thirty_distinct_faults() throws IOException {
    assertThat(invalid().count()).isGreaterThanOrEqualTo(30);
  }

  @Test
  void sim_manifest_loads_with_no_errors_and_warns_that_its_provider_is_not_loaded() {
    LoadResult r = SkillLoader.create(null).load(MANIFESTS.resolve("sim.yaml"));

    assertThat(r.ok()).isTrue();
    assertThat(r.problems()).extracting(ManifestProblem::toString).containsExactly(
        "../skills/sim.yaml:4:11: warning: provider 'sim' is not loaded"
            + " (hint: its operations are checked once its plugin is loaded)");
    assertThat(r.skill().routes()).extracting(Route::to).containsExactly("i2v", "t2v", "text2image");
  }

  @Test
  void sim_manifest_loads_clean_against_the_sim_provider() {
    assertThat(LOADER.load(MANIFESTS.resolve("sim.yaml")).problems()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shipped")
  void every_shipped_manifest_loads_without_errors(Path file) {
    assertThat(SkillLoader.create(null).load(file).errors()).isEmpty();
  }

  @Test
  void oversized_file_is_refused_before_it_is_parsed(@TempDir Path dir) throws IOException {
    Path big = dir.resolve("big.yaml");
    Files.writeString(big, "skill: big\n# " + "x".repeat((int) SkillLoader.MAX_BYTES) + "\n");

    LoadResult r = LOADER.load(big);

    assertThat(r.problems()).extracting(ManifestProblem::toString).containsExactly(
        big + ":1:1: error: file is " + Files.size(big) + " bytes; a manifest may have at most 1048576"
            + " (hint: split it, or remove what is not used)");
  }

  @Test
  void a_file_that_is_not_utf8_is_refused(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("latin1.yaml");
    Files.write(bad, new byte[] {'s', 'k', 'i', 'l', 'l', ':', ' ', (byte) 0xE9, '\n'});

    assertThat(LOADER.load(bad).problems()).extracting(p -> p.at().line() + ":" + p.message())
        .containsExactly("1:not UTF-8 text");
  }

  @Test
  void problems_carry_pointer_and_hint_and_print_as_compilers_do() throws IOException {
    Path file = FIXTURES.resolve("invalid/unknown_key_nested.yaml");
    ManifestProblem p = LOADER.load(file).problems().get(0);

    assertThat(p.pointer()).isEqualTo("/operations/i2v/timeout");
    assertThat(p.hint()).isEqualTo("known here: confirm, defaults, description, eta, inputs, intent, limits, models, title, words");
    assertThat(p.toString()).isEqualTo(file + ":11:5: error: unknown key 'timeout'"
        + " (hint: known here: confirm, defaults, description, eta, inputs, intent, limits, models, title, words)");
    assertThat(p.toJson().getInteger("line")).isEqualTo(11);
    assertThat(p.toJson().getString("severity")).isEqualTo("error");
  }

  @Test
  void a_loaded_skill_is_built_from_every_part_of_the_manifest() {
    Skill s = LOADER.load(FIXTURES.resolve("valid/full.yaml")).skill();

    assertThat(s.id()).isEqualTo("full-demo");
    assertThat(s.locales()).containsExactly("en", "zh", "ja");
    assertThat(s.requires().secrets()).containsExactly("SIM_KEY");
    assertThat(s.operation("t2v").orElseThrow().defaults().getString("aspect_ratio"))
        .as("YAML 1.2: 16:9 stays a string").isEqualTo("16:9");
    assertThat(s.operation("t2v").orElseThrow().defaults().getString("audio")).as("and no stays no").isEqualTo("no");
    assertThat(s.operation("t2v").orElseThrow().eta().forModel("sim-pro")).containsExactly(120, 300);
    assertThat(s.errors()).hasSize(3);
    assertThat(s.errors().get(0).code()).isEqualTo("2001");
    assertThat(s.errors().get(1).retry().obeyRetryAfter()).isTrue();
    assertThat(s.errors().get(1).text().matcher("Please SLOW DOWN").find()).isTrue();
    assertThat(s.errors().get(2).retry().obeyRetryAfter()).isFalse();
    assertThat(s.routes().get(0).params().getInteger("duration")).isEqualTo(5);
    assertThat(s.template("x.tip")).isPresent();
    assertThat(s.at().line()).as("where skill: stands").isEqualTo(3);
    assertThat(s.rewrites()).hasSize(3);
    assertThat(s.rewrites().get(1).drops()).isTrue();
    assertThat(s.rewrites().get(2).locales()).containsExactly("en");
  }

  @Test
  void rewrite_rules_translate_drop_and_keep_to_their_locales() {
    Skill s = LOADER.load(FIXTURES.resolve("valid/full.yaml")).skill();
    String raw = "Done! Click the **Export** button to download. [tool_call: render_v2] 3 credits used.";

    assertThat(Rewrite.apply(s.rewrites(), s.locales(), "en", raw))
        .isEqualTo("Done! say 'Export' to download. 3 points used.");
    assertThat(Rewrite.apply(s.rewrites(), s.locales(), "zh-CN", raw))
        .as("zh replacement, and the en-only rule left alone").isEqualTo("Done! 说“导出” to download. 3 credits used.");
    assertThat(Rewrite.apply(s.rewrites(), s.locales(), "ja", "[tool_call: x]"))
        .as("a message made only of dropped text is not shown").isNull();
    assertThat(Rewrite.apply(s.rewrites(), s.locales(), "en", "nothing to change")).isEqualTo("nothing to change");
  }

  private static Stream<Path> fixtures(String kind) throws IOException {
    try (Stream<Path> s = Files.list(FIXTURES.resolve(kind))) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  /** The fixture's {@code # expect: line:column: severity: message} lines. */
  private static List<String> expected(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(l -> l.startsWith("# expect: "))
        .map(l -> l.substring("# expect: ".length())).toList();
  }

  /** What the loader printed, each line checked to name the file, without file and hint. */
  private static List<String> printed(Path file, LoadResult r) {
    return r.problems().stream().map(p -> {
      assertThat(p.at().file()).isEqualTo(file.toString());
      return p.at().line() + ":" + p.at().column() + ": " + p.severity() + ": " + p.message();
    }).toList();
  }
}
