package dev.skillhost.host.skills;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MustacheTemplateCompilerTest {

  private final MustacheTemplateCompiler compiler = new MustacheTemplateCompiler();

  private Template compile(String text) {
    TemplateCompiler.Result r = compiler.compile(text);
    assertThat(r.problems()).isEmpty();
    return r.template();
  }

  @Test
  void renders_without_html_escaping_and_missing_variables_as_empty() {
    Template t = compile("<b>{{title}}</b> & {{url}}{{missing}}!");

    assertThat(t.render(Map.of("title", "Tom & \"Jerry\"", "url", "https://x/?a=1&b=2")))
        .isEqualTo("<b>Tom & \"Jerry\"</b> & https://x/?a=1&b=2!");
    Map<String, Object> nulls = new HashMap<>();
    nulls.put("title", null);
    assertThat(t.render(nulls)).isEqualTo("<b></b> & !");
  }

  @Test
  void sections_show_a_part_only_when_the_variable_is_set() {
    Template t = compile("Done{{#duration}}, {{duration}}{{/duration}}.");

    assertThat(t.render(Map.of("duration", "5s"))).isEqualTo("Done, 5s.");
    assertThat(t.render(Map.of())).isEqualTo("Done.");
  }

  @Test
  void variables_lists_every_name_read_including_sections_and_dotted_roots() {
    Template t = compile("{{a}} {{#b}}{{c}}{{.}}{{/b}} {{^d}}none{{/d}} {{e.f}} {{{g}}} {{&h}}");

    assertThat(t.variables()).containsExactlyInAnyOrder("a", "b", "c", "d", "e", "g", "h");
  }

  @Test
  void compile_errors_name_the_tag_offset() {
    assertThat(compiler.compile("About {{eta.").problems())
        .containsExactly(new TemplateCompiler.Problem("unclosed tag: '{{' without '}}'", 6));
    assertThat(compiler.compile("x {{a {{b}}").problems())
        .containsExactly(new TemplateCompiler.Problem("unclosed tag: '{{' without '}}'", 2));
    assertThat(compiler.compile("line one\nline {{#a}}two").problems())
        .containsExactly(new TemplateCompiler.Problem("Section missing close tag 'a'", 14));
    assertThat(compiler.compile("x {{/a}}").problems())
        .containsExactly(new TemplateCompiler.Problem("Section close tag with no open tag 'a'", 2));
    assertThat(compiler.compile("x {{ }}").problems()).containsExactly(new TemplateCompiler.Problem("empty tag '{{}}'", 2));
    assertThat(compiler.compile("{{> header}}").problems()).extracting(TemplateCompiler.Problem::message)
        .containsExactly("partials are not supported: {{> header}}");
    assertThat(compiler.compile("{{=<% %>=}}").problems()).extracting(TemplateCompiler.Problem::message)
        .containsExactly("changing delimiters is not supported");
  }

  @Test
  void knows_the_variables_of_every_template_name() {
    assertThat(compiler.variablesByTemplate()).containsOnlyKeys(
        "submitted", "progress", "confirm", "result.image", "result.video", "result.audio", "result.model",
        "result.text", "failed", "login", "fallback");
    assertThat(compiler.variablesByTemplate().get("fallback")).contains("from", "to", "reason");
    assertThat(compiler.variablesByTemplate().get("result.text")).contains("text", "link");
    assertThat(compiler.variablesByTemplate().get("submitted"))
        .containsExactlyInAnyOrder("eta", "eta_low", "eta_high", "operation", "model", "task", "skill");
    assertThat(compiler.variablesByTemplate().get("login")).containsExactlyInAnyOrder("url", "code", "skill");
    assertThat(compiler.messageVariables()).containsExactlyInAnyOrder("reason", "code", "retry_after", "skill");
    assertThat(TemplateCompiler.isAuthorTemplate("x.tip")).isTrue();
    assertThat(TemplateCompiler.isAuthorTemplate("tip")).isFalse();
  }
}
