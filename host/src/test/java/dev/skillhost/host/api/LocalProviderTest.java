package dev.skillhost.host.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.HostTestBase;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real local plugin jar (built by the reactor before the host) in a real host: "animate this
 * photo" becomes an H.264 MP4 served from {@code GET /v1/files/{id}}, checked by Debian's ffprobe;
 * bad inputs end as {@code invalid_input} while the host keeps serving; and a hot-swapped second
 * version of the plugin, in a new class loader of the same JVM, encodes too, resuming a render the
 * swap cut off.
 */
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class LocalProviderTest extends HostTestBase {

  private static final Path JAR = Path.of("../plugins/local/target/skillhost-plugin-local-0.1.0.jar");
  private static final Path PHOTO = Path.of("../samples/photo.png");

  @BeforeEach
  void deployLocal(VertxTestContext ctx) {
    assertThat(JAR).as("build the local plugin first: mvn -B install -DskipTests -pl plugins/local -am").exists();
    deploy(JAR).compose(v -> provider(p -> "started".equals(p.getString("state"))))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void animate_this_photo_gives_a_real_mp4_served_from_files(VertxTestContext ctx) {
    JsonObject params = new JsonObject().put("prompt", "animate this photo").put("duration_s", 2).put("resolution", "360p");
    upload(PHOTO, "image/png")
        .compose(file -> runTask("i2v", params, file))
        .compose(task -> Future.all(host.get("/v1/files/" + task.getJsonArray("outputs").getJsonObject(0).getString("file")),
            events(task.getString("id"))).map(all -> List.<Object>of(task, all.resultAt(0), all.resultAt(1))))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject task = (JsonObject) r.get(0);
          HttpResponse<?> file = (HttpResponse<?>) r.get(1);
          JsonArray events = (JsonArray) r.get(2);
          assertThat(task.getString("state")).as(task.encodePrettily()).isEqualTo("succeeded");
          assertThat(file.statusCode()).isEqualTo(200);
          assertThat(file.getHeader("Content-Type")).isEqualTo("video/mp4");
          Path mp4 = dir.resolve("animated.mp4");
          Files.write(mp4, ((Buffer) file.body()).getBytes());
          JsonObject stream = ffprobe(mp4);
          assertThat(stream.getString("codec_name")).isEqualTo("h264");
          assertThat(stream.getString("pix_fmt")).isEqualTo("yuv420p");
          assertThat(stream.getInteger("width")).isEqualTo(640);
          assertThat(stream.getInteger("height")).isEqualTo(360);
          assertThat(stream.getString("nb_read_frames")).isEqualTo("60");
          assertThat(Double.parseDouble(stream.getString("duration"))).isBetween(1.95, 2.05);
          assertThat(boxes(mp4)).as("moov before mdat (faststart)").containsSubsequence("ftyp", "moov", "mdat");
          assertThat(events.stream().map(e -> ((JsonObject) e).getString("type"))).contains("progress", "output");
          ctx.completeNow();
        })));
  }

  @Test
  void on_a_fresh_machine_the_words_animate_this_photo_route_to_local_and_make_a_video(VertxTestContext ctx) {
    // The repository's real manifests, with only the local and sim plugins loaded.
    upload(PHOTO, "image/png")
        .compose(file -> host.post("/v1/route", new JsonObject().put("text", "animate this photo")
                .put("attachments", new JsonArray().add(file)).put("locale", "en"))
            .compose(route -> {
              ctx.verify(() -> {
                assertThat(route.statusCode()).as(route.bodyAsString()).isEqualTo(200);
                assertThat(route.bodyAsJsonObject().getString("skill")).isEqualTo("local");
                assertThat(route.bodyAsJsonObject().getString("operation")).isEqualTo("i2v");
              });
              return host.post("/v1/tasks", new JsonObject().put("text", "animate this photo, 2 seconds")
                  .put("locale", "zh-CN").put("params", new JsonObject().put("resolution", "360p"))
                  .put("inputs", new JsonArray().add(new JsonObject().put("role", "image").put("file", file))));
            }))
        .compose(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202));
          return host.await(r.bodyAsJsonObject().getString("id"), t -> t.getString("state").matches("succeeded|failed"));
        })
        .onComplete(ctx.succeeding(task -> ctx.verify(() -> {
          assertThat(task.getString("state")).as(task.encodePrettily()).isEqualTo("succeeded");
          assertThat(task.getString("skill")).isEqualTo("local");
          assertThat(task.getJsonArray("outputs").getJsonObject(0).getString("mime")).isEqualTo("video/mp4");
          ctx.completeNow();
        })));
  }

  @Test
  void words_set_the_parameters_the_preview_shows_and_explicit_params_win(VertxTestContext ctx) {
    upload(PHOTO, "image/png")
        .compose(file -> host.post("/v1/route", new JsonObject().put("text", "animate this photo, slow zoom in, 3 seconds")
                .put("attachments", new JsonArray().add(file)).put("locale", "en"))
            .compose(route -> {
              ctx.verify(() -> {
                JsonObject r = route.bodyAsJsonObject();
                assertThat(route.statusCode()).as(route.bodyAsString()).isEqualTo(200);
                assertThat(r.getString("skill") + "." + r.getString("operation")).isEqualTo("local.i2v");
                assertThat(r.getJsonObject("params").getInteger("duration")).isEqualTo(3);
                assertThat(r.getJsonArray("from_words").stream().map(o -> ((JsonObject) o).getString("param")))
                    .contains("duration");
                assertThat(r.getJsonObject("match").getJsonArray("words").getList()).isNotEmpty();
              });
              // the same words as a task, with duration given explicitly: the explicit value wins
              return host.post("/v1/tasks", new JsonObject().put("text", "animate this photo, slow zoom in, 3 seconds")
                  .put("params", new JsonObject().put("duration", 1).put("resolution", "360p"))
                  .put("inputs", new JsonArray().add(new JsonObject().put("role", "image").put("file", file))));
            }))
        .compose(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202));
          return host.await(r.bodyAsJsonObject().getString("id"), t -> t.getString("state").matches("succeeded|failed"));
        })
        .onComplete(ctx.succeeding(task -> ctx.verify(() -> {
          assertThat(task.getString("state")).as(task.encodePrettily()).isEqualTo("succeeded");
          assertThat(task.getJsonObject("params").getInteger("duration")).isEqualTo(1);
          assertThat(task.getJsonArray("outputs").getJsonObject(0).getJsonObject("meta", new JsonObject())
              .getDouble("duration_s", 1.0)).isLessThan(2.0);
          ctx.completeNow();
        })));
  }

  @Test
  void a_request_two_different_jobs_fit_equally_is_a_422_with_a_question(VertxTestContext ctx) {
    upload(PHOTO, "image/png")
        .compose(file -> host.post("/v1/route", new JsonObject().put("text", "make it better")
            .put("attachments", new JsonArray().add(file)).put("locale", "en")))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(422);
          assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
          JsonObject problem = r.bodyAsJsonObject();
          assertThat(problem.getString("type")).endsWith("unclear-route");
          assertThat(problem.getString("question")).startsWith("Do you want to ").endsWith("?");
          assertThat(problem.getString("detail")).isEqualTo(problem.getString("question"));
          assertThat(problem.getJsonArray("options").size()).isGreaterThanOrEqualTo(2);
          ctx.completeNow();
        })));
  }

  @Test
  void bad_inputs_fail_as_invalid_input_and_the_host_keeps_serving(VertxTestContext ctx) throws IOException {
    byte[] photo = Files.readAllBytes(PHOTO);
    Path truncated = Files.write(dir.resolve("cut.png"), Arrays.copyOf(photo, photo.length / 2));
    Path bomb = Files.write(dir.resolve("bomb.png"), bombPng(100_000, 100_000));
    JsonObject small = new JsonObject().put("duration_s", 1).put("resolution", "240p");
    List<Future<JsonObject>> failed = new ArrayList<>();
    failed.add(upload(truncated, "image/png").compose(f -> runTask("i2v", small, f)));
    failed.add(upload(bomb, "image/png").compose(f -> runTask("i2v", small, f)));
    failed.add(upload(PHOTO, "image/png").compose(f -> runTask("i2v", small.copy().put("duration_s", 61), f)));
    failed.add(upload(PHOTO, "image/png").compose(f -> runTask("i2v", new JsonObject().put("prompt",
        "animate this photo for 90 seconds"), f)));
    Future.all(failed)
        .compose(all -> upload(PHOTO, "image/png").compose(f -> runTask("i2v", small, f))
            .compose(ok -> notAnImage(ok)).map(last -> {
              List<JsonObject> tasks = new ArrayList<>(all.list());
              tasks.add(last);
              return tasks;
            }))
        .compose(tasks -> upload(PHOTO, "image/png").compose(f -> submitOrRun(small.copy().put("aspect_ratio", "21:9"), f))
            .map(aspect -> List.of(tasks, aspect)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          @SuppressWarnings("unchecked")
          List<JsonObject> tasks = (List<JsonObject>) r.get(0);
          String[][] expect = {{"corrupt_input", "truncated"}, {"input_too_large", "100000x100000"},
              {"duration_over_limit", "limit of 60 s"}, {"duration_over_limit", "90 s"},
              {"unsupported_media", "not an image"}};
          for (int i = 0; i < expect.length; i++) {
            JsonObject task = tasks.get(i);
            assertThat(task.getString("state")).as(task.encodePrettily()).isEqualTo("failed");
            JsonObject error = task.getJsonObject("error");
            assertThat(error.getString("kind")).isEqualTo("invalid_input");
            assertThat(error.getString("code")).isEqualTo(expect[i][0]);
            assertThat(error.getString("message")).contains(expect[i][1]);
          }
          // the local skill's manifest may refuse it at the API before the provider sees it; either way it names it
          JsonObject aspect = (JsonObject) r.get(1);
          assertThat(aspect.encode()).contains("21:9");
          if (aspect.containsKey("status")) {
            assertThat(aspect.getInteger("status")).isEqualTo(400);
          } else {
            assertThat(aspect.getJsonObject("error").getString("kind")).isEqualTo("invalid_input");
          }
          ctx.completeNow();
        })));
  }

  /** The task as it ended, or the API's problem if the request was refused before a task existed. */
  private Future<JsonObject> submitOrRun(JsonObject params, String image) {
    JsonObject body = new JsonObject().put("provider", "local").put("operation", "i2v").put("params", params)
        .put("inputs", new JsonArray().add(new JsonObject().put("role", "image").put("file", image)));
    return host.post("/v1/tasks", body).compose(r -> r.statusCode() == 202
        ? host.await(r.bodyAsJsonObject().getString("id"), t -> List.of("succeeded", "failed").contains(t.getString("state")))
        : Future.succeededFuture(r.bodyAsJsonObject()));
  }

  @Test
  void a_hot_swapped_second_version_encodes_in_its_own_class_loader(VertxTestContext ctx) throws IOException {
    Path v2 = withVersion(JAR, "0.2.0", dir.resolve("local-v2.jar"));
    JsonObject params = new JsonObject().put("motion", "zoom_in").put("duration_s", 1).put("resolution", "240p");
    upload(PHOTO, "image/png")
        .compose(file -> runTask("i2v", params, file)
            .compose(first -> deploy(v2)
                .compose(v -> provider(p -> "0.2.0".equals(p.getString("version"))))
                .compose(v -> runTask("i2v", params.copy().put("motion", "pan_left"), file))
                .map(second -> List.of(first, second))))
        .onComplete(ctx.succeeding(tasks -> ctx.verify(() -> {
          assertThat(tasks.get(0).getString("state")).isEqualTo("succeeded");
          assertThat(tasks.get(0).getString("provider_version")).isEqualTo("0.1.0");
          assertThat(tasks.get(1).getString("state")).as(tasks.get(1).encodePrettily()).isEqualTo("succeeded");
          assertThat(tasks.get(1).getString("provider_version")).isEqualTo("0.2.0");
          ctx.completeNow();
        })));
  }

  /**
   * The swap is started as soon as the first segment is kept, not at some progress figure: a
   * render that outran the swap (it takes a few hundred ms, and the poll that shows progress
   * comes every ~300 ms) ended in the old version, whose finished result the new one then rightly
   * served with nothing reused. 20 s at 720p leaves the old version seconds of work after that.
   */
  @Test
  void a_render_cut_by_a_hot_swap_resumes_in_the_new_version_from_its_kept_segments(VertxTestContext ctx)
      throws IOException {
    Path v2 = withVersion(JAR, "0.2.0", dir.resolve("local-v2.jar"));
    int frames = 20 * 30;
    JsonObject params = new JsonObject().put("motion", "zoom_in").put("duration_s", 20).put("fps", 30)
        .put("resolution", "720p");
    JsonObject body = new JsonObject().put("provider", "local").put("operation", "i2v").put("params", params);
    upload(PHOTO, "image/png")
        .compose(file -> host.post("/v1/tasks", body.copy().put("inputs",
            new JsonArray().add(new JsonObject().put("role", "image").put("file", file)))))
        .map(r -> r.bodyAsJsonObject().getString("id"))
        .compose(id -> firstSegmentKept(id)
            .compose(kept -> deploy(v2))
            .compose(v -> provider(p -> "0.2.0".equals(p.getString("version"))))
            .compose(v -> host.await(id, LocalProviderTest::ended)))
        .onComplete(ctx.succeeding(task -> ctx.verify(() -> {
          assertThat(task.getString("state")).as(task.encodePrettily()).isEqualTo("succeeded");
          JsonObject meta = task.getJsonArray("outputs").getJsonObject(0).getJsonObject("meta");
          assertThat(meta.getInteger("frames_reused")).as("frames kept from the version swapped out")
              .isGreaterThanOrEqualTo(60).isLessThan(frames);
          assertThat(meta.getInteger("frames_rendered") + meta.getInteger("frames_reused")).isEqualTo(frames);
          ctx.completeNow();
        })));
  }

  /**
   * Waits until the local provider has kept the task's first segment in its data directory (where
   * a cut-off run's segments wait for the next one); fails if the task ends first.
   */
  private Future<Void> firstSegmentKept(String taskId) {
    String segment = host.dataDir.resolve("providers").resolve("local").resolve("resume").resolve(taskId)
        .resolve("seg-00000.mp4").toString();
    return host.vertx.fileSystem().exists(segment).compose(there -> {
      if (there) return Future.succeededFuture();
      return host.get("/v1/tasks/" + taskId).compose(r -> {
        if (ended(r.bodyAsJsonObject())) {
          return Future.failedFuture(new AssertionError("ended before a segment was kept: " + r.bodyAsString()));
        }
        return host.vertx.timer(25).compose(v -> firstSegmentKept(taskId));
      });
    });
  }

  private static boolean ended(JsonObject task) {
    return List.of("succeeded", "failed", "cancelled").contains(task.getString("state"));
  }

  /** A video uploaded as the image of an i2v task: the upload is fine, the task is not. */
  private Future<JsonObject> notAnImage(JsonObject succeeded) {
    assertThat(succeeded.getString("state")).as("a good task after the bad ones").isEqualTo("succeeded");
    String video = succeeded.getJsonArray("outputs").getJsonObject(0).getString("file");
    return runTask("i2v", new JsonObject().put("duration_s", 1), video);
  }

  private Future<String> upload(Path file, String mime) {
    MultipartForm form = MultipartForm.create().binaryFileUpload("file", file.getFileName().toString(), file.toString(), mime);
    return host.request(HttpMethod.POST, "/v1/uploads", host.key).sendMultipartForm(form).map(r -> {
      if (r.statusCode() != 201) throw new AssertionError("upload answered " + r.statusCode() + ": " + r.bodyAsString());
      return r.bodyAsJsonObject().getString("id");
    });
  }

  /** Submits a local task on one image and waits for it to end. */
  private Future<JsonObject> runTask(String operation, JsonObject params, String image) {
    JsonObject body = new JsonObject().put("provider", "local").put("operation", operation).put("params", params)
        .put("inputs", new JsonArray().add(new JsonObject().put("role", "image").put("file", image)));
    return host.post("/v1/tasks", body).compose(r -> {
      if (r.statusCode() != 202) throw new AssertionError("submit answered " + r.statusCode() + ": " + r.bodyAsString());
      return host.await(r.bodyAsJsonObject().getString("id"),
          t -> List.of("succeeded", "failed", "cancelled").contains(t.getString("state")));
    });
  }

  private Future<JsonArray> events(String taskId) {
    return host.request(HttpMethod.GET, "/v1/tasks/" + taskId + "/events", host.key)
        .putHeader("Accept", "application/json").send().map(HttpResponse::bodyAsJsonArray);
  }

  private Future<Void> deploy(Path jar) {
    return host.vertx.executeBlocking(() -> {
      Path tmp = host.pluginsDir.resolve(".local.jar.tmp");
      Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, host.pluginsDir.resolve("local.jar"), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      return null;
    });
  }

  /** Polls GET /v1/providers until the local provider's entry satisfies {@code done}. */
  private Future<JsonObject> provider(Predicate<JsonObject> done) {
    return host.get("/v1/providers").compose(r -> {
      JsonObject local = r.bodyAsJsonObject().getJsonArray("providers").stream().map(o -> (JsonObject) o)
          .filter(p -> "local".equals(p.getString("id"))).findFirst().orElse(new JsonObject());
      if (done.test(local)) return Future.succeededFuture(local);
      return host.vertx.timer(50).compose(v -> provider(done));
    });
  }

  /** The same plugin jar with another Plugin-Version: a new jar for the host, a new class loader. */
  private static Path withVersion(Path jar, String version, Path out) throws IOException {
    try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
      Manifest manifest = new Manifest(in.getManifest());
      manifest.getMainAttributes().putValue("Plugin-Version", version);
      try (OutputStream file = Files.newOutputStream(out); JarOutputStream o = new JarOutputStream(file, manifest)) {
        for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
          o.putNextEntry(new JarEntry(e.getName()));
          in.transferTo(o);
          o.closeEntry();
        }
      }
    }
    return out;
  }

  private static JsonObject ffprobe(Path file) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
          "stream=codec_name,pix_fmt,width,height,nb_read_frames,duration", "-of", "json", file.toString())
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("ffprobe is not installed: apt-get update && apt-get install -y ffmpeg (.ci/run does)", e);
    }
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    assertThat(p.waitFor()).as(new String(out, StandardCharsets.UTF_8)).isZero();
    return new JsonObject(new String(out, StandardCharsets.UTF_8)).getJsonArray("streams").getJsonObject(0);
  }

  /** Top-level MP4 box names in file order. */
  private static List<String> boxes(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
    List<String> names = new ArrayList<>();
    while (b.remaining() >= 8) {
      int at = b.position();
      long size = Integer.toUnsignedLong(b.getInt());
      byte[] type = new byte[4];
      b.get(type);
      if (size == 1) size = b.getLong();
      names.add(new String(type, StandardCharsets.ISO_8859_1));
      if (size < 8 || at + size > b.limit()) break;
      b.position((int) (at + size));
    }
    return names;
  }

  /** A tiny PNG whose header declares {@code w x h} pixels. */
  private static byte[] bombPng(int w, int h) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
