package dev.skillhost.host.skills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.boot.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code skillhost skills …} run in-process through the real picocli tree, output captured. */
class SkillsCommandTest {

  private static final Path FIXTURES = ManifestFixturesTest.FIXTURES;

  record Run(int exit, List<String> out, List<String> err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Run(exit, lines(out), lines(err));
  }

  private static List<String> lines(StringWriter w) {
    return w.toString().isEmpty() ? List.of() : List.of(w.toString().split("\\R"));
  }

  @Test
  void lint_prints_every_problem_as_file_line_column_and_fails_on_errors() {
    Path two = FIXTURES.resolve("invalid/two_problems.yaml");
    Run r = run("skills", "lint", two.toString(), FIXTURES.resolve("valid/minimal.yaml").toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).containsExactly(
        two + ":3:10: error: 'one' does not match ^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$ (hint: The manifest's own"
            + " version (semantic versioning, e.g. 1.2.0); shown in GET /v1/skills so an edit can be seen going live.)",
        two + ":4:11: warning: provider 'sim' is not loaded (hint: its operations are checked once its plugin is loaded)",
        two + ":15:9: error: route to undeclared operation 't3v' (hint: declared: t2v, i2v)",
        FIXTURES.resolve("valid/minimal.yaml") + ":4:11: warning: provider 'sim' is not loaded"
            + " (hint: its operations are checked once its plugin is loaded)");
    assertThat(r.err()).containsExactly("2 manifests, 2 errors, 2 warnings");
  }

  @Test
  void lint_passes_with_only_warnings_over_a_directory() {
    Run r = run("skills", "lint", FIXTURES.resolve("valid").toString());

    assertThat(r.exit()).isZero();
    assertThat(r.out()).allMatch(l -> l.contains(": warning: "));
    assertThat(r.err()).containsExactly("4 manifests, 0 errors, 5 warnings");
  }

  @Test
  void lint_refuses_a_second_manifest_with_the_same_skill_id(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("a.yaml"), SkillRegistryTest.manifest("same", "1.0.0"));
    Files.writeString(dir.resolve("b.yaml"), SkillRegistryTest.manifest("same", "2.0.0"));

    Run r = run("skills", "lint", dir.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains(dir.resolve("b.yaml") + ":1:1: error: skill 'same' is also defined in "
        + dir.resolve("a.yaml") + " (hint: give each manifest its own skill id)");
  }

  @Test
  void test_prints_pass_or_fail_per_example_and_fails_on_any_failure() {
    Path file = FIXTURES.resolve("invalid/example_routes_elsewhere.yaml");
    Run r = run("skills", "test", file.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).containsExactly(
        "PASS " + file + ":21:5: \"animate this\" → i2v",
        "FAIL " + file + ":22:5: \"animate this video\": example routes to 'i2v', expected 't2v'"
            + " (hint: the route at line 12 took it)");
    assertThat(r.err()).last().isEqualTo("1 passed, 1 failed");
    assertThat(r.err()).contains("Routing accuracy (examples that got what they expect):",
        "  demo       en       1/2  50%              -");
  }

  @Test
  void test_passes_over_the_shipped_sim_manifest() {
    Run r = run("skills", "test", "../skills/sim.yaml");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).hasSizeGreaterThanOrEqualTo(10).allMatch(l -> l.startsWith("PASS ../skills/sim.yaml:"));
    assertThat(r.out().get(0)).matches("PASS \\.\\./skills/sim\\.yaml:\\d+:\\d+: \"animate this photo\" → i2v");
  }

  @Test
  void test_reports_a_manifest_that_does_not_load_as_a_failure() {
    Run r = run("skills", "test", FIXTURES.resolve("invalid/cel_syntax.yaml").toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).singleElement().asString().contains(":14:36: error: mismatched input '<EOF>'");
  }

  @Test
  void render_prints_the_text_and_says_which_locale_it_used() {
    Run r = run("skills", "render", "sim", "result.video", "--locale", "zh-TW", "--var", "url=https://x/v.mp4",
        "--var", "duration=5s", "--dir", "../skills");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).containsExactly("🎬 视频已生成", "🔗 视频地址:https://x/v.mp4", "• 时长:5s");
    assertThat(r.err()).containsExactly("locale: zh (asked zh-TW)");
  }

  @Test
  void render_falls_back_to_the_first_locale_for_one_the_skill_lacks() {
    Run r = run("skills", "render", "sim", "progress", "--locale", "fr", "--var", "percent=40", "--dir", "../skills");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).containsExactly("40% done");
    assertThat(r.err()).containsExactly("locale: en (asked fr)");
  }

  @Test
  void bad_input_gets_one_plain_line_and_a_non_zero_exit() {
    Run missing = run("skills", "lint", "no/such/dir");
    Run noSkill = run("skills", "render", "nope", "submitted", "--dir", "../skills");
    Run noTemplate = run("skills", "render", "sim", "login", "--dir", "../skills");

    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).containsExactly("skillhost: no such file or directory: no/such/dir");
    assertThat(noSkill.exit()).isEqualTo(2);
    assertThat(noSkill.err()).singleElement().asString().startsWith("skillhost: no skill 'nope' in ../skills (found: ");
    assertThat(noTemplate.exit()).isEqualTo(2);
    assertThat(noTemplate.err()).containsExactly("skillhost: skill 'sim' has no template 'login'"
        + " (it has: confirm, failed, progress, result.image, result.video, submitted)");
  }
}
