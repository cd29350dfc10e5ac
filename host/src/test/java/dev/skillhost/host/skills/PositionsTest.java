package dev.skillhost.host.skills;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** An offset inside a value maps back to the file through quotes, escapes and block indentation. */
class PositionsTest {

  private static Positions read(String yaml) {
    Problems problems = new Problems(new Positions("m.yaml", yaml));
    assertThat(YamlTree.read(yaml, problems)).isNotNull();
    return problems.positions();
  }

  @Test
  void maps_offsets_in_plain_and_quoted_scalars() {
    Positions p = read("""
        a: says(['x']) && foo
        b: "say \\"hi\\" \\u00e9 foo"
        c: 'it''s foo'
        """);

    assertThat(p.inside("/a", 18).toString()).isEqualTo("m.yaml:1:22");
    assertThat(p.inside("/b", 11).toString()).as("escapes are wider in the file").isEqualTo("m.yaml:2:23");
    assertThat(p.inside("/c", 5).toString()).isEqualTo("m.yaml:3:11");
  }

  @Test
  void maps_offsets_in_block_scalars_line_by_line() {
    Positions p = read("""
        a: |
          first line
            second foo
        b: >-
          folded
          more foo
        """);

    assertThat(p.inside("/a", 13).toString()).isEqualTo("m.yaml:3:5");
    assertThat(p.inside("/a", 20).toString()).isEqualTo("m.yaml:3:12");
    assertThat(p.inside("/b", 12).toString()).isEqualTo("m.yaml:6:8");
  }

  @Test
  void keys_values_and_missing_members_have_positions() {
    Positions p = read("""
        top:
          inner: 1
          list: [a, b]
        """);

    assertThat(p.key("/top/inner").toString()).isEqualTo("m.yaml:2:3");
    assertThat(p.at("/top/inner").toString()).isEqualTo("m.yaml:2:10");
    assertThat(p.at("/top/list/1").toString()).isEqualTo("m.yaml:3:13");
    assertThat(p.at("/top/missing").toString()).as("falls back to the parent").isEqualTo("m.yaml:2:3");
    assertThat(p.inside("/top/inner", -1).toString()).isEqualTo("m.yaml:2:10");
  }

  @Test
  void plain_scalars_follow_the_yaml_12_core_schema() {
    Problems problems = new Problems(new Positions("m.yaml", ""));
    JsonObject json = YamlTree.read("""
        a: no
        b: 16:9
        c: 012
        d: 1.5e3
        e: ~
        f: "true"
        g: True
        h: 0x1F
        """, problems);

    assertThat(json.getValue("a")).isEqualTo("no");
    assertThat(json.getValue("b")).isEqualTo("16:9");
    assertThat(json.getValue("c")).isEqualTo(12L);
    assertThat(json.getValue("d")).isEqualTo(1500.0);
    assertThat(json.containsKey("e")).isTrue();
    assertThat(json.getValue("e")).isNull();
    assertThat(json.getValue("f")).isEqualTo("true");
    assertThat(json.getValue("g")).isEqualTo(true);
    assertThat(json.getValue("h")).isEqualTo("0x1F");
  }

  @Test
  void a_self_referring_alias_is_stopped_at_the_nesting_limit() {
    Problems problems = new Problems(new Positions("m.yaml", "a: &x [*x]\n"));
    YamlTree.read("a: &x [*x]\n", problems);

    assertThat(problems.sorted()).extracting(ManifestProblem::toString).containsExactly(
        "m.yaml:1:4: error: nested deeper than 64 levels (hint: an alias that refers to itself?)");
  }
}
