package dev.skillhost.bench;

import dev.skillhost.host.api.ApiKeys;
import dev.skillhost.host.boot.ConfigLoader;
import dev.skillhost.host.boot.Host;
import dev.skillhost.host.boot.HostConfig;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * {@code make bench}, second part: the local provider's i2v (a 5 s, 1080p, 30 fps zoom) through a
 * real host, beside Debian's {@code ffmpeg} command line doing the same zoom with {@code zoompan}
 * and {@code -preset veryfast}. Runs alternate between the two so both see the same machine load;
 * each figure is the median of three, after two local warm-up runs (JIT, native extraction).
 */
public final class LocalBench {

  private static final int RUNS = 3;
  /** Local runs not counted: the JIT compiles the pixel loops over the first few hundred frames. */
  private static final int WARMUPS = 2;
  private static final int SECONDS = 5;
  private static final int FPS = 30;
  private static final int FRAMES = SECONDS * FPS;
  private static final double ZOOM = 1.3;
  private static final Path JAR = Path.of("plugins/local/target/skillhost-plugin-local-0.1.0.jar");

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
  private final WebSocketClient wsClient = vertx.createWebSocketClient();
  private Host host;
  private String key;

  public static void main(String[] args) throws Exception {
    new LocalBench().run();
  }

  private void run() throws Exception {
    if (!Files.exists(JAR)) throw new IllegalStateException("build first (make build): no " + JAR);
    Path data = Files.createTempDirectory("skillhost-localbench");
    Path plugins = Files.createDirectories(data.resolve("plugins"));
    Files.copy(JAR, plugins.resolve("local.jar"), StandardCopyOption.REPLACE_EXISTING);
    key = ApiKeys.newKey();
    Files.writeString(data.resolve(ApiKeys.FILE_NAME), key + "\n");
    // fast polling, so the figure is the work and not the host's pace of looking at it
    HostConfig config = ConfigLoader.load(null, Map.of())
        .withHttp(new HostConfig.Http("127.0.0.1", 0, HostConfig.DEFAULT_BODY_LIMIT))
        .withDirs(data, plugins)
        .withPolling(new HostConfig.Polling(Duration.ofMillis(20), Duration.ofMillis(50), 5));
    host = Host.start(vertx, config).await();
    Path photo = photo(data.resolve("photo.png"));
    String file = upload(photo);
    boolean ffmpeg = onPath("ffmpeg");
    System.out.printf("%nlocal i2v: %d s %dp %d fps zoom %.1fx from a %s, median of %d (machine: %d cores)%n",
        SECONDS, 1080, FPS, ZOOM, "2560x1440 PNG", RUNS, Runtime.getRuntime().availableProcessors());

    for (int w = 0; w < WARMUPS; w++) {
      i2v(file);
    }
    List<Double> local = new ArrayList<>();
    List<Double> cli = new ArrayList<>();
    for (int r = 0; r < RUNS; r++) {
      local.add(i2v(file));
      if (ffmpeg) cli.add(ffmpegZoom(photo, data.resolve("ffmpeg.mp4")));
    }
    double l = median(local);
    System.out.printf("local provider (submit → succeeded): %.2f s  %.0f fps  (runs %s)%n", l, FRAMES / l, list(local));
    if (ffmpeg) {
      double f = median(cli);
      System.out.printf("ffmpeg CLI zoompan -preset veryfast: %.2f s  %.0f fps  (runs %s)%n", f, FRAMES / f, list(cli));
      System.out.printf("ratio local / ffmpeg:                %.2f  (goal ≤ 1.0)%n", l / f);
    } else {
      System.out.println("ffmpeg CLI:                          ffmpeg not installed (apt-get install ffmpeg)");
    }
    host.close().await();
    client.close();
    wsClient.close().await();
    vertx.close().await();
  }

  /** One i2v task, submit to succeeded (as the task's WebSocket stream tells it), in seconds. */
  private double i2v(String file) {
    JsonObject body = new JsonObject().put("provider", "local").put("operation", "i2v")
        .put("params", new JsonObject().put("motion", "zoom_in").put("zoom", ZOOM).put("duration_s", SECONDS)
            .put("fps", FPS).put("resolution", "1080p").put("aspect_ratio", "16:9"))
        .put("inputs", new JsonArray().add(new JsonObject().put("role", "image").put("file", file)));
    long t0 = System.nanoTime();
    var submitted = client.post(host.port(), "127.0.0.1", "/v1/tasks").bearerTokenAuthentication(key)
        .sendJsonObject(body).await();
    if (submitted.statusCode() != 202) throw new IllegalStateException("submit: " + submitted.bodyAsString());
    String id = submitted.bodyAsJsonObject().getString("id");
    Promise<String> ended = Promise.promise();
    WebSocket ws = wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(host.port())
        .setURI("/v1/stream").addHeader("Authorization", "Bearer " + key)).await();
    ws.textMessageHandler(text -> {
      String state = new JsonObject(text).getString("state");
      if ("succeeded".equals(state) || "failed".equals(state) || "cancelled".equals(state)) ended.tryComplete(state);
    });
    ws.writeTextMessage(new JsonObject().put("op", "subscribe").put("task", id).put("since", 0).encode());
    String state = ended.future().await();
    double seconds = (System.nanoTime() - t0) / 1e9;
    ws.close().await();
    if (!state.equals("succeeded")) throw new IllegalStateException("task " + id + " " + state);
    return seconds;
  }

  /** The same move by the ffmpeg command line: zoom 1 → 1.3 about the centre, x264 veryfast. */
  private static double ffmpegZoom(Path photo, Path out) throws IOException, InterruptedException {
    String zoom = "zoompan=z='1+" + (ZOOM - 1) + "*on/" + (FRAMES - 1) + "':d=" + FRAMES
        + ":x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':s=1920x1080:fps=" + FPS;
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-loop", "1", "-i", photo.toString(), "-vf", zoom,
        "-frames:v", Integer.toString(FRAMES), "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        "-movflags", "+faststart", out.toString()).inheritIO().start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) throw new IllegalStateException("ffmpeg failed");
    return (System.nanoTime() - t0) / 1e9;
  }

  private String upload(Path photo) {
    MultipartForm form = MultipartForm.create().binaryFileUpload("file", "photo.png", photo.toString(), "image/png");
    var r = client.post(host.port(), "127.0.0.1", "/v1/uploads").bearerTokenAuthentication(key)
        .sendMultipartForm(form).await();
    if (r.statusCode() != 201) throw new IllegalStateException("upload: " + r.bodyAsString());
    return r.bodyAsJsonObject().getString("id");
  }

  /** A 2560x1440 picture with photo-like detail (gradients, shapes and grain), so x264 has real work. */
  static Path photo(Path file) throws IOException {
    int w = 2560, h = 1440;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Random grain = new Random(42);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double fx = (double) x / w, fy = (double) y / h;
        double hills = Math.sin(fx * 9 + Math.sin(fy * 5) * 2) * 0.5 + 0.5;
        double rings = Math.cos(Math.hypot(fx - 0.6, fy - 0.4) * 60) * 0.5 + 0.5;
        int n = grain.nextInt(17) - 8;
        int r = clamp(40 + 150 * fx + 40 * rings + n);
        int g = clamp(60 + 120 * hills + 30 * fy + n);
        int b = clamp(90 + 110 * (1 - fy) * hills + 30 * rings + n);
        img.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    ImageIO.write(img, "png", file.toFile());
    return file;
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, v));
  }

  private static boolean onPath(String tool) {
    try {
      return new ProcessBuilder(tool, "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  static String list(List<Double> values) {
    return String.join(", ", values.stream().map(v -> String.format("%.2f", v)).toList());
  }
}
