package dev.skillhost.contract.mcp;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A fresh {@link McpJavaFixture} per test (a host on its own data and skills dirs), closed after it. */
@ExtendWith(VertxExtension.class)
abstract class McpJavaTestBase {

  @TempDir
  Path dir;
  McpJavaFixture f;

  /** The fixture a test class needs; the plain host with the sim plugin unless overridden. */
  Future<McpJavaFixture> fixture(Vertx vertx, Path dir) {
    return McpJavaFixture.start(vertx, dir);
  }

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    fixture(vertx, dir).onComplete(ctx.succeeding(fx -> {
      f = fx;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    (f == null ? Future.<Void>succeededFuture() : f.close()).onComplete(ctx.succeedingThenComplete());
  }
}
