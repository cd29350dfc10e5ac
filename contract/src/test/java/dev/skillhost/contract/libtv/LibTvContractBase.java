package dev.skillhost.contract.libtv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.TestHost;
import dev.skillhost.simulators.libtv.LibTvSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real LibTV plugin jar in a real host, driven over the host's API, against the LibTV
 * simulator reached through the user-facing base-URL settings ({@code gateway_url}, {@code direct_url}).
 */
@ExtendWith(VertxExtension.class)
abstract class LibTvContractBase {

  static final String GATEWAY_KEY = "mgk_contract_trial_7f3a";
  static final String DIRECT_KEY = "sk-libtv-contract-9c1e";
  static final List<String> TERMINAL = List.of("succeeded", "failed", "cancelled");
  static final byte[] PNG = pad(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13}, 200);

  @TempDir Path dir;
  Vertx vertx;
  LibTvSimulator sim;
  TestHost host;
  private int hosts;

  @BeforeEach
  void startSimulator(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    LibTvSimulator.start(vertx, new JsonObject().put("step_ms", 30)).onComplete(ctx.succeeding(s -> {
      sim = s.gatewayKey(GATEWAY_KEY, 50, null).directKey(DIRECT_KEY);
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stopAll(VertxTestContext ctx) {
    Future<Void> h = host == null ? Future.succeededFuture() : host.close();
    h.eventually(() -> sim.close()).onComplete(ctx.succeedingThenComplete());
  }

  /** The provider section a user would write: base URLs, the key, a default ratio, fast looks. */
  JsonObject config(String key) {
    JsonObject c = new JsonObject()
        .put("gateway_url", sim.baseUrl() + "/")
        .put("direct_url", sim.baseUrl())
        .put("video_ratio", "9:16")
        .put("poll_interval_ms", 20);
    if (key != null) c.put("secrets", new JsonObject().put("LIBTV_ACCESS_KEY", key));
    return c;
  }

  Future<TestHost> startHost(String key) {
    return startHost(config(key));
  }

  Future<TestHost> startHost(JsonObject config) {
    return TestHost.start(vertx, dir.resolve("host" + (++hosts)), Map.of("libtv", config), List.of("libtv")).map(h -> {
      host = h;
      return h;
    });
  }

  static JsonObject task(String operation, JsonObject params, String locale) {
    return new JsonObject().put("skill", "libtv").put("operation", operation).put("params", params).put("locale", locale);
  }

  /** Submits and waits for the task to end; every LibTV task must end. */
  Future<JsonObject> run(JsonObject body) {
    return host.post("/v1/tasks", body).compose(r -> {
      if (r.statusCode() != 202) throw new AssertionError("submit answered " + r.statusCode() + ": " + r.bodyAsString());
      return host.await(r.bodyAsJsonObject().getString("id"), t -> TERMINAL.contains(t.getString("state")));
    });
  }

  Future<JsonArray> events(String taskId) {
    return host.request(HttpMethod.GET, "/v1/tasks/" + taskId + "/events", host.key)
        .putHeader("Accept", "application/json").send().map(HttpResponse::bodyAsJsonArray);
  }

  /** Uploads bytes to the host (not to LibTV); answers the host's file id. */
  Future<String> hostUpload(byte[] bytes, String name, String mime) {
    try {
      Path file = dir.resolve(name);
      Files.write(file, bytes);
      MultipartForm form = MultipartForm.create().binaryFileUpload("file", name, file.toString(), mime);
      return host.request(HttpMethod.POST, "/v1/uploads", host.key).sendMultipartForm(form).map(r -> {
        if (r.statusCode() != 201) throw new AssertionError("upload answered " + r.statusCode() + ": " + r.bodyAsString());
        return r.bodyAsJsonObject().getString("id");
      });
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
  }

  static JsonArray inputs(String role, String file) {
    return new JsonArray().add(new JsonObject().put("role", role).put("file", file));
  }

  static JsonObject output(JsonObject task) {
    assertThat(task.getJsonArray("outputs")).as("outputs of " + task.encode()).isNotEmpty();
    return task.getJsonArray("outputs").getJsonObject(0);
  }

  static void assertFailed(JsonObject task, String kind, String messageContains) {
    assertThat(task.getString("state")).as(task.encode()).isEqualTo("failed");
    assertThat(task.getJsonObject("error").getString("kind")).as(task.encode()).isEqualTo(kind);
    assertThat(task.getJsonObject("error").getString("message")).as(task.encode()).contains(messageContains);
  }

  private static byte[] pad(byte[] head, int size) {
    byte[] b = new byte[size];
    System.arraycopy(head, 0, b, 0, head.length);
    return b;
  }
}
