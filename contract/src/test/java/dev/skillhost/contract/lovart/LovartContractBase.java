package dev.skillhost.contract.lovart;

import dev.skillhost.host.testing.TestHost;
import dev.skillhost.simulators.lovart.LovartScript;
import dev.skillhost.simulators.lovart.LovartSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A Lovart simulator and a real host with the real Lovart plugin jar pointed at it, per test. */
abstract class LovartContractBase {

  static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");
  static final byte[] PNG = Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

  @TempDir
  Path dir;
  LovartSimulator sim;
  TestHost host;

  LovartSimulator.Options simOptions() {
    return new LovartSimulator.Options().script(LovartScript.image(400)).retryAfter(1);
  }

  JsonObject providerConfig() {
    return new JsonObject().put("base_url", sim.baseUrl()).put("secrets", new JsonObject()
        .put("LOVART_ACCESS_KEY", sim.options().accessKey).put("LOVART_SECRET_KEY", sim.options().secretKey));
  }

  @BeforeEach
  void start(Vertx vertx) {
    sim = LovartSimulator.start(vertx, simOptions()).await();
    host = TestHost.start(vertx, dir.resolve("host"), Map.of("lovart", providerConfig()), List.of("lovart")).await();
  }

  @AfterEach
  void stop() {
    if (host != null) host.close().await();
    if (sim != null) sim.close().await();
  }

  Future<String> submit(String operation, JsonObject params, JsonArray inputs, String locale) {
    JsonObject body = new JsonObject().put("skill", "lovart").put("operation", operation).put("params", params);
    if (inputs != null) body.put("inputs", inputs);
    if (locale != null) body.put("locale", locale);
    return host.post("/v1/tasks", body).map(r -> {
      if (r.statusCode() != 202) {
        throw new AssertionError("submit answered " + r.statusCode() + ": " + r.bodyAsString());
      }
      return r.bodyAsJsonObject().getString("id");
    });
  }

  Future<JsonObject> finished(String id) {
    return host.await(id, t -> TERMINAL.contains(t.getString("state")));
  }

  Future<JsonObject> run(String operation, JsonObject params) {
    return submit(operation, params, null, null).compose(this::finished);
  }

  /** Uploads bytes through POST /v1/uploads and answers the host's file id. */
  Future<String> upload(byte[] bytes, String name, String mime) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return host.request(HttpMethod.POST, "/v1/uploads", host.key)
        .sendMultipartForm(MultipartForm.create().binaryFileUpload("file", name, file.toString(), mime))
        .map(r -> {
          if (r.statusCode() / 100 != 2) {
            throw new AssertionError("upload answered " + r.statusCode() + ": " + r.bodyAsString());
          }
          return r.bodyAsJsonObject().getString("id");
        });
  }

  Future<JsonArray> events(String id) {
    return host.request(HttpMethod.GET, "/v1/tasks/" + id + "/events", host.key)
        .putHeader("Accept", "application/json").send().map(LovartContractBase::eventsOf);
  }

  /** The events endpoint answers a JSON array, or SSE frames; both are read here. */
  static JsonArray eventsOf(HttpResponse<Buffer> r) {
    String text = r.bodyAsString();
    if (text.trim().startsWith("[")) {
      return new JsonArray(text);
    }
    if (text.trim().startsWith("{")) {
      JsonObject o = new JsonObject(text);
      return o.getJsonArray("events", new JsonArray());
    }
    JsonArray out = new JsonArray();
    for (String line : text.split("\n")) {
      if (line.startsWith("data:")) {
        out.add(new JsonObject(line.substring(5).trim()));
      }
    }
    return out;
  }
}
