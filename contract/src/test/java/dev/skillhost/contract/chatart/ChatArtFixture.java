package dev.skillhost.contract.chatart;

import dev.skillhost.host.testing.TestHost;
import dev.skillhost.simulators.chatart.ChatArtSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.multipart.MultipartForm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real host with the real ChatArt plugin jar, pointed at a ChatArt simulator through the settings
 * a user would change ({@code base_url}, {@code oss_endpoint}) and signed in the headless way
 * ({@code CHATARTPRO_UID} / {@code CHATARTPRO_API_KEY}); helpers to upload and run tasks over the API.
 */
final class ChatArtFixture {

  static final String UID = "id_contract";
  static final String KEY = "sk-chatart-contract";
  static final Path PHOTO = Path.of("../samples/photo.png");

  final ChatArtSimulator sim;
  final TestHost host;

  private ChatArtFixture(ChatArtSimulator sim, TestHost host) {
    this.sim = sim;
    this.host = host;
  }

  static Future<ChatArtFixture> start(Vertx vertx, Path dir, double credits) {
    return ChatArtSimulator.start(vertx, new JsonObject().put("polls_until_done", 3)).compose(sim -> {
      sim.account(UID, KEY, credits);
      JsonObject config = new JsonObject().put("base_url", sim.baseUrl()).put("oss_endpoint", sim.ossEndpoint())
          .put("secrets", new JsonObject().put("CHATARTPRO_UID", UID).put("CHATARTPRO_API_KEY", KEY));
      return TestHost.start(vertx, dir, Map.of("chatart", config), List.of("chatart")).map(h -> new ChatArtFixture(sim, h));
    });
  }

  Future<Void> close() {
    return host.close().eventually(sim::close);
  }

  /** A 3 s 1280×720 H.264 MP4 made by Debian's ffmpeg (a few KB). */
  static Path video(Path dir) throws IOException, InterruptedException {
    Path out = dir.resolve("clip.mp4");
    Process p = new ProcessBuilder("ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=blue:s=1280x720:d=3:r=10",
        "-c:v", "libx264", "-preset", "ultrafast", "-crf", "45", "-pix_fmt", "yuv420p", out.toString())
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0 || !Files.isRegularFile(out)) {
      throw new IOException("ffmpeg failed: " + log);
    }
    return out;
  }

  Future<String> upload(Path file, String mime) {
    MultipartForm form = MultipartForm.create().binaryFileUpload("file", file.getFileName().toString(), file.toString(), mime);
    return host.request(HttpMethod.POST, "/v1/uploads", host.key).sendMultipartForm(form).map(r -> {
      if (r.statusCode() != 201) throw new AssertionError("upload answered " + r.statusCode() + ": " + r.bodyAsString());
      return r.bodyAsJsonObject().getString("id");
    });
  }

  /** Creates a chatart task and answers its id. */
  Future<String> create(String operation, JsonObject params, JsonArray inputs, String locale) {
    JsonObject body = new JsonObject().put("skill", "chatart").put("operation", operation).put("params", params)
        .put("inputs", inputs).put("locale", locale);
    return host.post("/v1/tasks", body).map(r -> {
      if (r.statusCode() != 202) throw new AssertionError("task answered " + r.statusCode() + ": " + r.bodyAsString());
      return r.bodyAsJsonObject().getString("id");
    });
  }

  /** Creates a task, confirms the spend when asked (the skill asks before every generation), waits for its end. */
  Future<JsonObject> run(String operation, JsonObject params, JsonArray inputs, String locale) {
    return create(operation, params, inputs, locale).compose(id -> host.await(id, t -> terminal(t)
            || "awaiting_confirmation".equals(t.getString("state")))
        .compose(t -> "awaiting_confirmation".equals(t.getString("state"))
            ? host.post("/v1/tasks/" + id + "/confirm", new JsonObject()).compose(r -> {
              if (r.statusCode() >= 300) throw new AssertionError("confirm answered " + r.statusCode() + ": " + r.bodyAsString());
              return host.await(id, ChatArtFixture::terminal);
            })
            : Future.succeededFuture(t)));
  }

  static boolean terminal(JsonObject t) {
    return List.of("succeeded", "failed", "cancelled").contains(t.getString("state"));
  }

  static JsonArray inputs(Object... roleFile) {
    JsonArray a = new JsonArray();
    for (int i = 0; i < roleFile.length; i += 2) {
      a.add(new JsonObject().put("role", roleFile[i]).put("file", roleFile[i + 1]));
    }
    return a;
  }
}
