package dev.skillhost.contract.nemovideo;

import dev.skillhost.host.testing.TestHost;
import dev.skillhost.simulators.nemovideo.NemoVideoSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A NemoVideo simulator and a real host with the real nemovideo plugin jar pointed at it through
 * the user-facing settings ({@code api_url}, the NEMO_API_URL setting), with the documented poll
 * schedule shrunk to milliseconds.
 */
@ExtendWith(VertxExtension.class)
abstract class NemoVideoContractBase {

  static final List<String> TERMINAL = List.of("succeeded", "failed", "cancelled");

  @TempDir Path dir;
  TestHost host;
  NemoVideoSimulator sim;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    NemoVideoSimulator.start(vertx, NemoVideoSimulator.Options.fast())
        .compose(s -> {
          sim = s;
          return TestHost.start(vertx, dir, Map.of("nemovideo", config(s)), List.of("nemovideo"));
        })
        .onComplete(ctx.succeeding(h -> {
          host = h;
          ctx.completeNow();
        }));
  }

  static JsonObject config(NemoVideoSimulator s) {
    return new JsonObject().put("api_url", s.baseUrl()).put("web_url", "https://nemovideo.test")
        .put("poll", new JsonObject().put("first_ms", 40).put("next_ms", 40).put("max_unchanged", 5)
            .put("settle_reads", 8).put("live_check_ms", 20))
        .put("render", new JsonObject().put("poll_ms", 30).put("max_polls", 10));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    (host == null ? Future.succeededFuture() : host.close())
        .eventually(() -> sim == null ? Future.succeededFuture() : sim.close())
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Creates a task through the API and answers its id. */
  Future<String> submit(String operation, JsonObject params, String locale, JsonArray inputs) {
    JsonObject body = new JsonObject().put("skill", "nemovideo").put("operation", operation).put("params", params)
        .put("locale", locale);
    if (inputs != null) body.put("inputs", inputs);
    return host.post("/v1/tasks", body).map(r -> {
      if (r.statusCode() != 202) throw new AssertionError("submit answered " + r.statusCode() + ": " + r.bodyAsString());
      return r.bodyAsJsonObject().getString("id");
    });
  }

  Future<JsonObject> run(String operation, JsonObject params, String locale) {
    return submit(operation, params, locale, null).compose(this::finish);
  }

  Future<JsonObject> finish(String id) {
    return host.await(id, t -> TERMINAL.contains(t.getString("state")));
  }

  Future<JsonArray> events(String taskId) {
    return host.request(HttpMethod.GET, "/v1/tasks/" + taskId + "/events", host.key)
        .putHeader("Accept", "application/json").send().map(HttpResponse::bodyAsJsonArray);
  }

  /** The provider's own words in progress events, in order. */
  static List<String> said(JsonArray events) {
    return events.stream().map(e -> (JsonObject) e).filter(e -> "progress".equals(e.getString("type")))
        .map(e -> e.getJsonObject("data", new JsonObject()).getString("message")).filter(m -> m != null)
        .collect(Collectors.toList());
  }

  /** Every user-facing message the task's events carried. */
  static List<String> messages(JsonArray events) {
    return events.stream().map(e -> ((JsonObject) e).getString("message")).filter(m -> m != null)
        .collect(Collectors.toList());
  }

  Future<String> upload(String name, byte[] bytes, String mime) {
    try {
      Path f = dir.resolve(name);
      Files.write(f, bytes);
      MultipartForm form = MultipartForm.create().binaryFileUpload("file", name, f.toString(), mime);
      return host.request(HttpMethod.POST, "/v1/uploads", host.key).sendMultipartForm(form).map(r -> {
        if (r.statusCode() != 201) throw new AssertionError("upload answered " + r.statusCode() + ": " + r.bodyAsString());
        return r.bodyAsJsonObject().getString("id");
      });
    } catch (java.io.IOException e) {
      return Future.failedFuture(e);
    }
  }

  /** The one session the simulator made for this test. */
  String onlySession() {
    return sim.sessionIds().iterator().next();
  }

  static JsonObject prompt(String text) {
    return new JsonObject().put("prompt", text);
  }
}
