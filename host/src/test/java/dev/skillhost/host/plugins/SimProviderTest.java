package dev.skillhost.host.plugins;

import static dev.skillhost.host.plugins.PluginFixture.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.Handle;
import dev.skillhost.api.Job;
import dev.skillhost.api.Output;
import dev.skillhost.api.Progress;
import dev.skillhost.api.ProviderException;
import dev.skillhost.api.Reconciliation;
import dev.skillhost.host.testing.PluginJarBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The simulated provider, loaded from a real plugin jar, with a clock the test moves. */
@ExtendWith(VertxExtension.class)
class SimProviderTest {

  @TempDir Path tmp;
  private PluginFixture f;
  private MutableClock clock;
  private LiveProvider sim;

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext ctx) throws Exception {
    clock = new MutableClock(1_700_000_000_000L);
    f = new PluginFixture(vertx, tmp, clock);
    PluginJarBuilder.simJar(f.pluginsDir, "sim.jar", "1.0.0");
    f.start().onComplete(ctx.succeeding(host -> {
      sim = host.provider("sim").orElseThrow();
      ctx.completeNow();
    }));
  }

  @AfterEach
  void tearDown(VertxTestContext ctx) {
    f.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void progress_grows_with_the_clock_and_ends_in_a_real_png(VertxTestContext ctx) {
    JsonObject params = new JsonObject().put("duration_ms", 10_000).put("prompt", "a red fox");
    submit(job("t1", "text2image", params))
        .compose(handle -> {
          ctx.verify(() -> {
            assertThat(handle.id()).isEqualTo("sim-t1");
            assertThat(handle.eta()).isEqualTo(Duration.ofSeconds(10));
          });
          return poll(handle).compose(p0 -> {
            ctx.verify(() -> assertThat(p0).extracting(Progress::status, Progress::fraction, Progress::message)
                .containsExactly(Progress.Status.RUNNING, 0.0, "step 1 of 10"));
            clock.advance(Duration.ofMillis(2500));
            return poll(handle);
          }).compose(p1 -> {
            ctx.verify(() -> assertThat(p1).extracting(Progress::status, Progress::fraction, Progress::message)
                .containsExactly(Progress.Status.RUNNING, 0.25, "step 3 of 10"));
            clock.advance(Duration.ofMillis(7500));
            // As the host would: the handle went through its store as JSON.
            return poll(Handle.fromJson(new JsonObject(handle.toJson().encode())));
          });
        })
        .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
          assertThat(done.status()).isEqualTo(Progress.Status.SUCCEEDED);
          Output out = done.outputs().get(0);
          assertThat(out.kind()).isEqualTo("image");
          assertThat(out.mime()).isEqualTo("image/png");
          assertThat(out.meta().getInteger("width")).isEqualTo(256);
          BufferedImage png = ImageIO.read(f.artifacts.file(out.file()).toFile());
          assertThat(png.getWidth()).isEqualTo(256);
          assertThat(png.getHeight()).isEqualTo(256);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void t2v_and_i2v_make_real_animated_gifs(VertxTestContext ctx) throws Exception {
    String red = f.artifacts.put(png(64, 48, Color.RED));
    Job i2v = job("v2", "i2v", new JsonObject().put("duration_ms", 0),
        List.of(new Job.Input("image", red, "image/png", 0)));
    Future.all(finish(job("v1", "t2v", new JsonObject().put("duration_ms", 0))), finish(i2v))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < 2; i++) {
            Output out = all.<Progress>resultAt(i).outputs().get(0);
            assertThat(out.kind()).isEqualTo("video");
            assertThat(out.mime()).isEqualTo("image/gif");
            var reader = ImageIO.getImageReadersByFormatName("gif").next();
            try (var in = ImageIO.createImageInputStream(f.artifacts.file(out.file()).toFile())) {
              reader.setInput(in);
              assertThat(reader.getNumImages(true)).isEqualTo(out.meta().getInteger("frames")).isGreaterThan(1);
              BufferedImage frame = reader.read(0);
              assertThat(frame.getWidth()).isEqualTo(160);
              assertThat(frame.getHeight()).isEqualTo(90);
              if (i == 1) assertThat(new Color(frame.getRGB(80, 45)).getRed()).isGreaterThan(200);
            }
          }
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void refuses_bad_params_before_spending_anything(VertxTestContext ctx) {
    List<Job> bad = List.of(
        job("b1", "t2v", new JsonObject().put("duration_ms", -1)),
        job("b2", "t2v", new JsonObject().put("duration_ms", "soon")),
        job("b3", "t2v", new JsonObject().put("duration_ms", 3_600_001)),
        job("b4", "t2v", new JsonObject().put("duration_ms", 1.5)),
        job("b5", "t2v", new JsonObject().put("fail", "maybe")),
        job("b6", "t2v", new JsonObject().put("flaky", 2)),
        job("b7", "i2v", new JsonObject()),
        job("b8", "upscale", new JsonObject()));
    Future.all(bad.stream().map(j -> failure(submit(j))).toList())
        .compose(all -> account().map(submits -> {
          ctx.verify(() -> {
            List<ProviderException> errors = all.list();
            assertThat(errors).extracting(ProviderException::code).containsExactly("invalid_params", "invalid_params",
                "invalid_params", "invalid_params", "invalid_params", "invalid_params", "invalid_params", "unknown_operation");
            assertThat(errors).extracting(ProviderException::httpStatus).containsOnly(0);
            assertThat(errors.get(0).text()).contains("duration_ms").contains("-1");
            assertThat(errors.get(6).text()).contains("image");
            assertThat(submits).isZero();
          });
          return submits;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void fail_on_submit_fails_the_call_itself_and_records_nothing(VertxTestContext ctx) {
    Job job = job("f1", "t2v", new JsonObject().put("fail", "submit").put("fail_code", "2001")
        .put("fail_http", 402).put("fail_text", "Out of credits"));
    failure(submit(job))
        .compose(error -> {
          ctx.verify(() -> assertThat(error).extracting(ProviderException::code, ProviderException::httpStatus,
              ProviderException::text).containsExactly("2001", 402, "Out of credits"));
          return reconcile(job);
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.outcome()).isEqualTo(Reconciliation.Outcome.NOT_SUBMITTED);
          assertThat(r.reason()).isEqualTo("the simulator never received this task");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void fail_on_poll_fails_the_task_after_half_its_duration(VertxTestContext ctx) {
    submit(job("f2", "t2v", new JsonObject().put("fail", true).put("duration_ms", 1000)))
        .compose(handle -> {
          clock.advance(Duration.ofMillis(499));
          return poll(handle).compose(before -> {
            ctx.verify(() -> assertThat(before.status()).isEqualTo(Progress.Status.RUNNING));
            clock.advance(Duration.ofMillis(1));
            return poll(handle);
          });
        })
        .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
          assertThat(after.status()).isEqualTo(Progress.Status.FAILED);
          assertThat(after.error()).extracting(ProviderException::code, ProviderException::httpStatus)
              .containsExactly("SIM_FAILED", 0);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void flaky_polls_fail_transiently_not_the_task(VertxTestContext ctx) {
    submit(job("fl", "t2v", new JsonObject().put("flaky", 0.5).put("duration_ms", 1000)))
        .compose(handle -> Future.all(java.util.stream.IntStream.range(0, 200)
            .mapToObj(i -> poll(handle).<Object>map(p -> p).recover(Future::succeededFuture)).toList()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<Object> looks = all.list();
          assertThat(looks).filteredOn(Progress.class::isInstance)
              .isNotEmpty().allSatisfy(p -> assertThat(((Progress) p).status()).isEqualTo(Progress.Status.RUNNING));
          assertThat(looks).filteredOn(ProviderException.class::isInstance).isNotEmpty()
              .allSatisfy(e -> assertThat(e).extracting("code", "httpStatus").containsExactly("SIM_FLAKY", 503));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void a_slow_submit_is_recorded_before_it_replies_so_reconcile_finds_it(VertxTestContext ctx) {
    Job job = job("slow", "t2v", new JsonObject().put("slow_submit_ms", 1500));
    Future<Handle> submitting = submit(job);
    f.until(() -> ledgerLines() == 1, Duration.ofSeconds(5), () -> "the submit to be recorded")
        .compose(v -> {
          ctx.verify(() -> assertThat(submitting.isComplete()).as("submit still waiting").isFalse());
          return reconcile(job);
        })
        .compose(found -> submitting.map(handle -> {
          ctx.verify(() -> {
            assertThat(found.outcome()).isEqualTo(Reconciliation.Outcome.FOUND);
            assertThat(found.handle()).isEqualTo(handle);
          });
          return handle;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void account_counts_submits_estimate_reports_cost_and_cancel_succeeds(VertxTestContext ctx) {
    Job priced = job("c1", "text2image", new JsonObject().put("cost", 5));
    submit(priced)
        .compose(h -> submit(job("c2", "t2v", new JsonObject())))
        .compose(h -> sim.call(p -> p.cancel(h, sim.context())))
        .compose(v -> submit(job("c3", "t2v", new JsonObject())))
        .compose(h -> account())
        .compose(submits -> {
          ctx.verify(() -> assertThat(submits).isEqualTo(3));
          return sim.call(p -> p.estimate(priced, sim.context()));
        })
        .onComplete(ctx.succeeding(estimate -> ctx.verify(() -> {
          assertThat(estimate.credits()).isEqualTo(5.0);
          assertThat(estimate.unit()).isEqualTo("sim_credits");
          ctx.completeNow();
        })));
  }

  private Future<Handle> submit(Job job) {
    return sim.call(p -> p.submit(job, sim.context()));
  }

  private Future<Progress> poll(Handle handle) {
    return sim.call(p -> p.poll(handle, sim.context()));
  }

  private Future<Progress> finish(Job job) {
    return submit(job).compose(this::poll);
  }

  private Future<Reconciliation> reconcile(Job job) {
    return sim.call(p -> p.reconcile(job, sim.context()));
  }

  private Future<Long> account() {
    return sim.call(p -> p.account(sim.context())).map(a -> a.details().getLong("submits"));
  }

  private static <T> Future<ProviderException> failure(Future<T> call) {
    return call.transform(ar -> ar.succeeded()
        ? Future.failedFuture(new AssertionError("expected a failure, got " + ar.result()))
        : ar.cause() instanceof ProviderException pe ? Future.succeededFuture(pe) : Future.failedFuture(ar.cause()));
  }

  private long ledgerLines() {
    Path ledger = f.dataDir.resolve("sim").resolve("submits.log");
    try {
      return java.nio.file.Files.exists(ledger) ? java.nio.file.Files.readAllLines(ledger).size() : 0;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] png(int w, int h, Color color) throws Exception {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, w, h);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
