package dev.skillhost.host.skills;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schema editors complete from: every field explained, no key left unchecked. */
class SkillSchemaTest {

  private static final Path SCHEMA = Path.of("../skills/skill.schema.json");

  @Test
  void every_field_has_a_description_and_every_object_refuses_unknown_keys() throws IOException {
    JsonObject schema = new JsonObject(Files.readString(SCHEMA));
    List<String> undescribed = new ArrayList<>();
    List<String> open = new ArrayList<>();

    walk(schema, "", undescribed, open);

    assertThat(undescribed).isEmpty();
    assertThat(open).isEmpty();
    assertThat(schema.getString("$schema")).isEqualTo("https://json-schema.org/draft/2020-12/schema");
  }

  @Test
  void the_schema_in_the_host_jar_is_the_one_in_skills() throws IOException {
    try (var in = SchemaCheck.class.getResourceAsStream(SchemaCheck.RESOURCE)) {
      assertThat(in).isNotNull();
      assertThat(new String(in.readAllBytes())).isEqualTo(Files.readString(SCHEMA));
    }
  }

  @Test
  void every_shipped_manifest_names_the_schema_for_editors() throws IOException {
    try (var files = Files.list(SCHEMA.getParent())) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        assertThat(Files.readAllLines(f)).as(f.toString()).contains("# yaml-language-server: $schema=./skill.schema.json");
      }
    }
  }

  private static void walk(JsonObject node, String at, List<String> undescribed, List<String> open) {
    if (!node.containsKey("description") && !node.containsKey("$ref")) {
      undescribed.add(at);
    }
    if (node.containsKey("properties") && !Boolean.FALSE.equals(node.getValue("additionalProperties"))) {
      open.add(at);
    }
    for (String group : List.of("properties", "$defs")) {
      JsonObject members = node.getJsonObject(group);
      if (members != null) {
        members.fieldNames().forEach(k -> walk(members.getJsonObject(k), at + "/" + group + "/" + k, undescribed, open));
      }
    }
    for (String child : List.of("items", "additionalProperties", "propertyNames", "else")) {
      if (node.getValue(child) instanceof JsonObject o) {
        walk(o, at + "/" + child, undescribed, open);
      }
    }
  }
}
