package dev.skillhost.host.skills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Step 4: {@code skill.schema.json} (JSON Schema 2020-12, shipped in the host jar from
 * {@code skills/}) checked with networknt. Its messages are reworded for manifest authors and
 * hinted with the field's own schema description.
 */
final class SchemaCheck {

  static final String RESOURCE = "skill.schema.json";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Schema schema;
  private final JsonObject raw;

  private SchemaCheck(String text) {
    this.raw = new JsonObject(text);
    this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).build()))
        .getSchema(text, InputFormat.JSON);
  }

  /** The schema from the host jar; immutable and thread-safe once built. */
  static SchemaCheck load() {
    try (InputStream in = SchemaCheck.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("no " + RESOURCE + " in the host jar");
      }
      return new SchemaCheck(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void check(JsonObject doc, Problems problems) {
    JsonNode node;
    try {
      node = MAPPER.readTree(doc.encode());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Error e : schema.validate(node)) {
      report(e, problems);
    }
  }

  private void report(Error e, Problems problems) {
    String at = e.getInstanceLocation().toString();
    String fragment = e.getSchemaLocation().getFragment().toString();
    JsonObject owner = node(Positions.parent(fragment));
    String hint = owner == null ? null : owner.getString("description");
    Object[] args = e.getArguments() == null ? new Object[0] : e.getArguments();
    String value = e.getInstanceNode() == null ? "" : text(e.getInstanceNode());
    switch (e.getKeyword()) {
      case "additionalProperties" -> problems.errorAtKey(Positions.child(at, e.getProperty()),
          "unknown key '" + e.getProperty() + "'", "known here: " + known(owner));
      case "required" -> problems.error(at, "missing required key '" + e.getProperty() + "'", hint(e.getProperty(), owner));
      case "propertyNames" -> problems.errorAtKey(Positions.child(at, e.getProperty()),
          badName(e.getProperty(), node(fragment)), null);
      case "type" -> problems.error(at, "expected " + article(String.valueOf(args[1])) + ", found " + article(String.valueOf(args[0])), hint);
      case "enum" -> problems.error(at, fragment.startsWith("/$defs/locale/")
          ? "unknown locale '" + value + "'" : "'" + value + "' is not one of: " + list(owner.getJsonArray("enum")),
          fragment.startsWith("/$defs/locale/") ? "known locales: " + list(owner.getJsonArray("enum")) : null);
      case "minimum" -> problems.error(at, "must be at least " + args[0] + ", not " + value, hint);
      case "maximum" -> problems.error(at, "must be at most " + args[0] + ", not " + value, hint);
      case "minItems" -> problems.error(at, "needs at least " + args[0] + " items, has " + e.getInstanceNode().size(), hint);
      case "maxItems" -> problems.error(at, "takes at most " + args[0] + " items, has " + e.getInstanceNode().size(), hint);
      case "minProperties" -> problems.error(at, owner.containsKey("properties")
          ? "needs at least one of: " + String.join(", ", owner.getJsonObject("properties").fieldNames())
          : "must not be empty", hint);
      case "minLength" -> problems.error(at, "must not be empty", hint);
      case "pattern" -> problems.error(at, "'" + value + "' does not match " + args[0], hint);
      case "const" -> problems.error(at, "must be " + args[0] + ", not " + value, hint);
      case "uniqueItems" -> problems.error(at, "has the same item twice", hint);
      default -> problems.error(at, e.getMessage(), hint);
    }
  }

  private String badName(String name, JsonObject names) {
    JsonObject n = deref(names);
    if (n != null && n.containsKey("enum")) {
      return n.getString("description", "").contains("locale")
          ? "unknown locale '" + name + "' (known: " + list(n.getJsonArray("enum")) + ")"
          : "'" + name + "' is not one of: " + list(n.getJsonArray("enum"));
    }
    if (n != null && n.containsKey("pattern")) {
      return "'" + name + "' is not a valid name here (it must match " + n.getString("pattern") + ")";
    }
    return "'" + name + "' is not allowed here";
  }

  private static String hint(String key, JsonObject owner) {
    JsonObject p = owner == null ? null : owner.getJsonObject("properties");
    JsonObject field = p == null ? null : p.getJsonObject(key);
    return field == null ? null : field.getString("description");
  }

  private static String known(JsonObject owner) {
    JsonObject p = owner == null ? null : owner.getJsonObject("properties");
    return p == null ? "none" : p.fieldNames().stream().sorted().collect(Collectors.joining(", "));
  }

  /** The schema object at a fragment ({@code /$defs/route/properties/when}), following one $ref. */
  private JsonObject node(String fragment) {
    Object n = raw;
    for (String part : fragment.isEmpty() ? new String[0] : fragment.substring(1).split("/")) {
      String key = part.replace("~1", "/").replace("~0", "~");
      if (n instanceof JsonObject o) {
        n = o.getValue(key);
      } else if (n instanceof JsonArray a && key.chars().allMatch(Character::isDigit)) {
        n = a.getValue(Integer.parseInt(key));
      } else {
        return null;
      }
    }
    return n instanceof JsonObject o ? o : null;
  }

  private JsonObject deref(JsonObject n) {
    if (n != null && n.getString("$ref", "").startsWith("#")) {
      return node(n.getString("$ref").substring(1));
    }
    return n;
  }

  private static String text(JsonNode n) {
    return n.isTextual() ? n.textValue() : n.toString();
  }

  private static String list(JsonArray values) {
    return values == null ? "" : Arrays.stream(values.getList().toArray()).map(String::valueOf).collect(Collectors.joining(", "));
  }

  private static String article(String type) {
    String t = type.replace("[", "").replace("]", "").replace("\"", "");
    if (t.contains(",")) {
      return String.join(" or ", Arrays.stream(t.split(",\\s*")).map(SchemaCheck::article).toList());
    }
    return switch (t) {
      case "object" -> "a mapping";
      case "array" -> "a list";
      case "integer" -> "a whole number";
      case "number" -> "a number";
      case "boolean" -> "true or false";
      case "string" -> "a string";
      case "null" -> "nothing";
      default -> t;
    };
  }
}
