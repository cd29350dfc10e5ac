package dev.skillhost.host.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code GET /v1/openapi.json}: the OpenAPI 3.1 document of the whole API, without a key (it is the
 * API's shape, with no data and no secrets, and tools and the console read it before a key is
 * known). Its source is {@code openapi/openapi.yaml} in the jar, kept by hand next to the routes
 * (YAML, for comments and readability); it is read and turned into JSON once, on a worker, at the
 * first request (not at boot: most hosts never serve it), with the running host's version in
 * {@code info.version}.
 */
public final class OpenApiRoutes {

  /** Where the document's source is, on the class path. */
  public static final String RESOURCE = "openapi/openapi.yaml";
  public static final String PATH = "/v1/openapi.json";

  private final Vertx vertx;
  private final String version;
  /** Read once, at the first request; touched on the API verticle's event loop only. */
  private Future<Buffer> document;

  OpenApiRoutes(Vertx vertx, String version) {
    this.vertx = vertx;
    this.version = version;
  }

  /** Mounted before the auth handler. */
  void mount(Router router) {
    router.get(PATH).handler(ctx -> document().onSuccess(doc -> ctx.response()
        .putHeader("Content-Type", "application/json").end(doc)).onFailure(ctx::fail));
  }

  private Future<Buffer> document() {
    if (document == null) {
      document = vertx.executeBlocking(() -> {
        JsonObject doc = read();
        doc.getJsonObject("info").put("version", version);
        return doc.toBuffer();
      });
    }
    return document;
  }

  /** The document's source as JSON, as it is served (but for {@code info.version}). */
  public static JsonObject read() throws IOException {
    try (InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(RESOURCE + " is not on the class path");
      }
      Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      if (!(tree instanceof Map<?, ?> map)) {
        throw new IOException(RESOURCE + " is not a mapping");
      }
      return object(map, "");
    }
  }

  // Only JSON's types may pass: a YAML date or a number as a key would change the document's meaning.
  private static Object json(Object value, String at) throws IOException {
    if (value instanceof Map<?, ?> map) {
      return object(map, at);
    }
    if (value instanceof List<?> list) {
      JsonArray array = new JsonArray();
      for (int i = 0; i < list.size(); i++) {
        array.add(json(list.get(i), at + "/" + i));
      }
      return array;
    }
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
        || value instanceof Long || value instanceof Double) {
      return value;
    }
    throw new IOException(RESOURCE + ": " + at + " is a " + value.getClass().getSimpleName() + "; quote it");
  }

  private static JsonObject object(Map<?, ?> map, String at) throws IOException {
    JsonObject object = new JsonObject();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new IOException(RESOURCE + ": key " + e.getKey() + " under " + at + " is not a string; quote it");
      }
      object.put(key, json(e.getValue(), at + "/" + key));
    }
    return object;
  }
}
