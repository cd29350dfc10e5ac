package dev.skillhost.host.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A tool's arguments checked against its own {@code inputSchema} (JSON Schema 2020-12, networknt),
 * so what {@code tools/list} promises is exactly what a call is held to. Built once per tool
 * list; thread-safe.
 */
final class Arguments {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private final Schema schema;

  Arguments(JsonObject inputSchema) {
    this.schema = REGISTRY.getSchema(inputSchema.encode(), InputFormat.JSON);
  }

  /** What is wrong with {@code args}, in one sentence, or null when they fit. */
  String problem(String tool, JsonObject args) {
    JsonNode node;
    try {
      node = MAPPER.readTree(args.encode());
    } catch (IOException e) {
      return "The arguments of " + tool + " are not JSON.";
    }
    List<Error> errors = schema.validate(node);
    if (errors.isEmpty()) {
      return null;
    }
    return "Wrong arguments for " + tool + ": " + errors.stream().limit(3).map(Arguments::describe)
        .collect(Collectors.joining("; ")) + ".";
  }

  private static String describe(Error e) {
    String at = e.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "").replace('/', '.');
    at = at.startsWith(".") ? at.substring(1) : at;
    return switch (e.getKeyword()) {
      case "additionalProperties" -> "unknown argument '" + e.getProperty() + "'";
      case "required" -> "'" + e.getProperty() + "' is required";
      default -> (at.isEmpty() ? "" : "'" + at + "' ") + e.getMessage().replaceFirst("^[^:]*: ", "");
    };
  }
}
