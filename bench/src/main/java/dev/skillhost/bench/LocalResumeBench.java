package dev.skillhost.bench;

import dev.skillhost.host.api.ApiKeys;
import dev.skillhost.host.boot.ConfigLoader;
import dev.skillhost.host.boot.Host;
import dev.skillhost.host.boot.HostConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code make bench}: the local provider's resume. A 10 s 1080p30 i2v is cut at 60% by a host
 * restart (the host closes, which stops the plugin, and a new host starts on the same data
 * directory); the figure is the time from the new host's start to the task's success, beside the
 * same render from scratch. Median of three each, after one warm-up render.
 */
public final class LocalResumeBench {

  private static final int RUNS = 3;
  private static final double CUT_AT = 0.6;
  private static final Path JAR = Path.of("plugins/local/target/skillhost-plugin-local-0.1.0.jar");
  private static final JsonObject PARAMS = new JsonObject().put("motion", "zoom_in").put("duration_s", 10)
      .put("fps", 30).put("resolution", "1080p").put("aspect_ratio", "16:9");

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
  private HostConfig config;
  private Host host;
  private String key;

  public static void main(String[] args) throws Exception {
    new LocalResumeBench().run();
  }

  private void run() throws Exception {
    if (!Files.exists(JAR)) throw new IllegalStateException("build first (make build): no " + JAR);
    Path data = Files.createTempDirectory("skillhost-resumebench");
    Path plugins = Files.createDirectories(data.resolve("plugins"));
    Files.copy(JAR, plugins.resolve("local.jar"), StandardCopyOption.REPLACE_EXISTING);
    key = ApiKeys.newKey();
    Files.writeString(data.resolve(ApiKeys.FILE_NAME), key + "\n");
    config = ConfigLoader.load(null, Map.of())
        .withHttp(new HostConfig.Http("127.0.0.1", 0, HostConfig.DEFAULT_BODY_LIMIT))
        .withDirs(data, plugins)
        .withPolling(new HostConfig.Polling(Duration.ofMillis(20), Duration.ofMillis(50), 5));
    host = Host.start(vertx, config).await();
    String file = upload(LocalBench.photo(data.resolve("photo.png")));
    System.out.printf("%nlocal resume: 10 s 1080p 30 fps i2v cut at %.0f%% by a host restart, median of %d%n",
        CUT_AT * 100, RUNS);
    finish(submit(file)); // warm-up
    List<Double> scratch = new ArrayList<>();
    List<Double> resumed = new ArrayList<>();
    List<Double> boots = new ArrayList<>();
    List<Integer> reused = new ArrayList<>();
    for (int r = 0; r < RUNS; r++) {
      long t0 = System.nanoTime();
      finish(submit(file));
      scratch.add((System.nanoTime() - t0) / 1e9);

      String id = submit(file);
      while (progress(id) < CUT_AT) Thread.sleep(10);
      host.close().await();
      long t1 = System.nanoTime();
      host = Host.start(vertx, config).await();
      boots.add((System.nanoTime() - t1) / 1e9);
      JsonObject task = finish(id);
      resumed.add((System.nanoTime() - t1) / 1e9);
      reused.add(task.getJsonArray("outputs").getJsonObject(0).getJsonObject("meta").getInteger("frames_reused"));
    }
    double s = LocalBench.median(scratch);
    double r = LocalBench.median(resumed);
    System.out.printf("from scratch (submit → succeeded):        %.2f s  (runs %s)%n", s, LocalBench.list(scratch));
    System.out.printf("after the restart (host start → succeeded): %.2f s  (runs %s; host start %s s; frames reused %s of 300)%n",
        r, LocalBench.list(resumed), LocalBench.list(boots), reused);
    System.out.printf("ratio resumed / from scratch:             %.2f%n", r / s);
    host.close().await();
    client.close();
    vertx.close().await();
  }

  private String submit(String file) {
    JsonObject body = new JsonObject().put("provider", "local").put("operation", "i2v").put("params", PARAMS)
        .put("inputs", new JsonArray().add(new JsonObject().put("role", "image").put("file", file)));
    var r = client.post(host.port(), "127.0.0.1", "/v1/tasks").bearerTokenAuthentication(key).sendJsonObject(body).await();
    if (r.statusCode() != 202) throw new IllegalStateException("submit: " + r.bodyAsString());
    return r.bodyAsJsonObject().getString("id");
  }

  private JsonObject task(String id) {
    return client.get(host.port(), "127.0.0.1", "/v1/tasks/" + id).bearerTokenAuthentication(key).send().await()
        .bodyAsJsonObject();
  }

  private double progress(String id) {
    JsonObject t = task(id);
    if (List.of("succeeded", "failed", "cancelled").contains(t.getString("state"))) {
      throw new IllegalStateException("task " + id + " ended before the cut: " + t.getString("state"));
    }
    return t.getDouble("progress", 0.0);
  }

  /** Polls the task every 20 ms until it ends; fails unless it succeeded. */
  private JsonObject finish(String id) throws InterruptedException {
    while (true) {
      JsonObject t = task(id);
      String state = t.getString("state");
      if ("succeeded".equals(state)) return t;
      if ("failed".equals(state) || "cancelled".equals(state)) throw new IllegalStateException("task " + id + " " + t);
      Thread.sleep(20);
    }
  }

  private String upload(Path photo) {
    MultipartForm form = MultipartForm.create().binaryFileUpload("file", "photo.png", photo.toString(), "image/png");
    var r = client.post(host.port(), "127.0.0.1", "/v1/uploads").bearerTokenAuthentication(key)
        .sendMultipartForm(form).await();
    if (r.statusCode() != 201) throw new IllegalStateException("upload: " + r.bodyAsString());
    return r.bodyAsJsonObject().getString("id");
  }
}
