package dev.skillhost.local.support;

import dev.skillhost.api.Job;
import dev.skillhost.local.LocalProvider;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One Vert.x, one provider context over a temp directory, and helpers to run jobs, per test class. */
public abstract class LocalTestBase {

  @TempDir protected static Path dir;
  protected static Vertx vertx;
  protected static TestContext ctx;
  protected static final LocalProvider provider = new LocalProvider();

  @BeforeAll
  static void context() throws IOException {
    vertx = Vertx.vertx();
    ctx = new TestContext(vertx, dir);
  }

  @AfterAll
  static void closeVertx() {
    Runs.await(vertx.close());
  }

  /** Runs an operation on inputs and answers how it ended. */
  protected static Runs.Outcome run(String operation, JsonObject params, List<Job.Input> inputs) {
    return Runs.run(provider, Runs.job(operation, params, inputs), ctx);
  }

  /** A stored output file's path. */
  protected static Path output(Runs.Outcome outcome) {
    if (!outcome.succeeded()) {
      throw new AssertionError("the task did not succeed: " + (outcome.error() == null ? outcome.last() : outcome.error()));
    }
    return Runs.await(ctx.artifacts().path(outcome.last().outputs().get(0).file()));
  }

  protected static Job.Input image(String name, dev.skillhost.local.media.RgbImage picture) throws IOException {
    Path file = TestImages.png(picture, Files.createDirectories(dir.resolve("in")).resolve(name + ".png"));
    return Runs.input(ctx, "image", file, "image/png");
  }

  protected static Job.Input file(String role, Path file, String mime) throws IOException {
    return Runs.input(ctx, role, file, mime);
  }
}
