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
    TestHost.start(vertx, dir, configure()).onComplete(ctx.succeeding(h -> {
      host = h;
      ctx.completeNow();
    }));
  }

  /** The test's changes to the host's config (kept across restarts); a subclass may run the same tests on PostgreSQL. */
  protected java.util.function.UnaryOperator<dev.skillhost.host.boot.HostConfig> configure() {
    return java.util.function.UnaryOperator.identity();
  }

  /** A config change that puts the host's tasks in a fresh database of the test PostgreSQL server. */
  protected static java.util.function.UnaryOperator<dev.skillhost.host.boot.HostConfig> onPostgres() {
    String url = dev.skillhost.host.store.PgServer.get().newDatabase();
    return c -> c.withStore(new dev.skillhost.host.boot.HostConfig.Store(url, null,
        dev.skillhost.host.boot.HostConfig.Store.DEFAULT_LEASE));
  }

  @AfterEach
  void stopHost(VertxTestContext ctx) {
    host.close().onComplete(ctx.succeedingThenComplete());
  }
}
