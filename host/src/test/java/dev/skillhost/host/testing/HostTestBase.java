package dev.skillhost.host.testing;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A fresh {@link TestHost} per test, on a data directory of its own, stopped after the test. */
@ExtendWith(VertxExtension.class)
public abstract class HostTestBase {

  @TempDir protected Path dir;
  protected TestHost host;

  @BeforeEach
  void startHost(Vertx vertx, VertxTestContext ctx) {
    TestHost.start(vertx, dir).onComplete(ctx.succeeding(h -> {
      host = h;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stopHost(VertxTestContext ctx) {
    host.close().onComplete(ctx.succeedingThenComplete());
  }
}
