package dev.skillhost.host.skills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.skills.ConditionCompiler.Scope;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CelConditionCompilerTest {

  private final CelConditionCompiler compiler = new CelConditionCompiler();

  private Condition compile(String expression, Scope scope) {
    ConditionCompiler.Result r = compiler.compile(expression, scope);
    assertThat(r.problems()).isEmpty();
    return r.condition();
  }

  private static Map<String, Object> request(String text, String... attachments) {
    Map<String, Integer> counts = new HashMap<>();
    for (String a : attachments) {
      counts.merge(a, 1, Integer::sum);
    }
    return SkillMatcher.variables(new SkillMatcher.Request(text, counts, "en"));
  }

  @ParameterizedTest(name = "says({0}) on \"{1}\" is {2}")
  @CsvSource(delimiter = '|', value = {
      "animate      | Animate this!                    | true",
      "animate      | please ANIMATE it                | true",
      "animate      | animated gif                     | false",
      "art          | start the show                   | false",
      "art          | pixel art, please                | true",
      "make it move | can you make  it\tmove?          | true",
      "make it move | make it a movie                  | false",
      "3d model     | a 3D model of a chair            | true",
      "ｖｉｄｅｏ   | a video please                   | true",
      "video        | 一段video吧                       | true",
      "动起来        | 把这张图动起来                    | true",
      "视频          | 生成一段小猫的视频                | true",
      "画           | 画一张灯塔的图片                  | true",
      "動かして      | この写真を動かして                | true",
      "動画         | 猫の動画を作って                  | true",
      "動画         | 猫の写真を作って                  | false",
      "영상         | 고양이 영상 만들어 줘              | true",
  })
  void says_matches_words_in_spaced_languages_and_substrings_in_chinese_japanese_korean(
      String keyword, String text, boolean expected) {
    Condition c = compile("says(['" + keyword + "'])", Scope.ROUTE);

    assertThat(c.test(request(text))).isEqualTo(expected);
  }

  @Test
  void says_is_true_when_any_keyword_is_present_and_says_all_when_every_one_is() {
    Condition any = compile("says(['video', 'clip'])", Scope.ROUTE);
    Condition all = compile("says_all(['long', 'video'])", Scope.ROUTE);

    assertThat(any.test(request("a short clip"))).isTrue();
    assertThat(any.test(request("a picture"))).isFalse();
    assertThat(all.test(request("a long video"))).isTrue();
    assertThat(all.test(request("a long picture"))).isFalse();
  }

  @Test
  void has_with_a_kind_counts_attachments_and_with_a_field_tests_presence() {
    Condition image = compile("has('image') && attached('image')", Scope.ROUTE);
    Condition credits = compile("has(estimate.credits) && estimate.credits > 100", Scope.CONFIRM);

    assertThat(image.test(request("x", "image"))).isTrue();
    assertThat(image.test(request("x", "video"))).isFalse();
    assertThat(credits.test(Map.of("estimate", Map.of("credits", 150.0)))).isTrue();
    assertThat(credits.test(Map.of("estimate", Map.of("credits", 150)))).as("ints compare with doubles").isTrue();
    assertThat(credits.test(Map.of("estimate", Map.of("unit", "credits")))).isFalse();
  }

  @Test
  void confirm_scope_sees_operation_estimate_and_params_given_as_json() {
    Condition c = compile("operation == 't2v' && params.duration > 10 && estimate.unit == 'credits'", Scope.CONFIRM);

    Map<String, Object> vars = new HashMap<>();
    vars.put("operation", "t2v");
    vars.put("params", new JsonObject().put("duration", 15));
    vars.put("estimate", new JsonObject().put("credits", 3.0).put("unit", "credits"));
    assertThat(c.test(vars)).isTrue();
    vars.put("params", new JsonObject().put("duration", 5));
    assertThat(c.test(vars)).isFalse();
  }

  @Test
  void route_scope_does_not_see_confirm_variables() {
    ConditionCompiler.Result r = compiler.compile("estimate.credits > 1.0", Scope.ROUTE);

    assertThat(r.condition()).isNull();
    assertThat(r.problems()).containsExactly(new ConditionCompiler.Problem("undeclared reference to 'estimate'", 0));
  }

  @Test
  void compile_errors_carry_the_offset_in_the_expression() {
    assertThat(compiler.compile("says(['x']) &&\n  prompt", Scope.ROUTE).problems())
        .containsExactly(new ConditionCompiler.Problem("undeclared reference to 'prompt'", 17));
    assertThat(compiler.compile("says('x')", Scope.ROUTE).problems()).containsExactly(new ConditionCompiler.Problem(
        "found no matching overload for 'says' applied to '(string)' (candidates: (list(string)))", 4));
    assertThat(compiler.compile("text", Scope.ROUTE).problems())
        .containsExactly(new ConditionCompiler.Problem("expected type 'bool' but found 'string'", 0));
    assertThat(compiler.compile("has(text)", Scope.ROUTE).problems()).extracting(ConditionCompiler.Problem::message)
        .containsExactly("has() takes an attachment kind, has('image'), or a field, has(estimate.credits)");
  }

  @Test
  void an_evaluation_error_is_false_not_an_exception() {
    Condition missingKey = compile("params.model == 'x'", Scope.ROUTE);
    Condition badRegex = compile("text.matches('[')", Scope.ROUTE);

    assertThat(missingKey.test(request("anything"))).isFalse();
    assertThat(badRegex.test(request("anything"))).isFalse();
    assertThat(missingKey.test(Map.of())).isFalse();
  }

  @Test
  void conditions_are_bounded_in_size_nesting_and_iterations() {
    String wide = "[" + "1,".repeat(40) + "1].all(a, [" + "1,".repeat(40) + "1].all(b, a == b || a != b))";
    Condition runaway = compile(wide, Scope.ROUTE);

    assertThat(runaway.test(request("x"))).as("41 × 41 iterations is over the budget").isFalse();
    assertThat(compiler.compile("text == '" + "x".repeat(CelConditionCompiler.MAX_EXPRESSION_LENGTH) + "'", Scope.ROUTE)
        .problems()).isNotEmpty();
    assertThat(compiler.compile("(".repeat(100) + "true" + ")".repeat(100), Scope.ROUTE).problems()).isNotEmpty();
  }

  @Test
  void the_source_is_kept_as_written() {
    assertThat(compile("says(['a'])", Scope.ROUTE).source()).isEqualTo("says(['a'])");
    assertThat(List.of(compile("true", Scope.ROUTE).test(Map.of()))).containsExactly(true);
  }
}
