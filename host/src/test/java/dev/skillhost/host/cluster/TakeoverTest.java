package dev.skillhost.host.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.boot.HostConfig;
import dev.skillhost.host.store.PgServer;
import dev.skillhost.host.testing.TestHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts on one PostgreSQL and one shared directory: a task made on one is read on the other;
 * a host that stops hands its tasks over at once; a host whose lease lapsed (paused, cut off)
 * lets its tasks go (the live one claims them; the store refuses the lapsed host's writes to
 * those, see {@code TaskStoreTest}), and every task still ends, sent once.
 * The three-process version with {@code kill -9} is the cluster module's failover test.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class TakeoverTest {

  private static final Duration LEASE = Duration.ofMillis(1500);

  @TempDir Path dir;
  private String url;
  private TestHost a;
  private TestHost b;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    url = PgServer.get().newDatabase();
    HostConfig.Store store = new HostConfig.Store(url, dir.resolve("shared"), LEASE);
    TestHost.start(vertx, dir.resolve("a"), c -> c.withStore(store))
        .compose(h -> {
          a = h;
          return TestHost.start(vertx, dir.resolve("b"), c -> c.withStore(store));
        })
        .onComplete(ctx.succeeding(h -> {
          b = h;
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    Future.join(a == null ? Future.succeededFuture() : a.close(), b == null ? Future.succeededFuture() : b.close())
        .onComplete(ar -> ctx.completeNow());
  }

  @Test
  void a_stopped_hosts_tasks_finish_on_the_other_each_sent_once(VertxTestContext ctx) {
    List<Future<String>> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(a.submit("t2v", new JsonObject().put("duration_ms", 2000 + 50 * i)));
    }
    Future.all(ids)
        .compose(v -> b.get("/v1/tasks/" + ids.get(0).result()).map(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).as("a task made on A is read on B").isEqualTo(200));
          return r;
        }))
        .compose(v -> a.stop())
        .compose(v -> awaitAll(b, ids))
        .compose(v -> b.get("/metrics").map(r -> r.bodyAsString()))
        .onComplete(ctx.succeeding(metrics -> ctx.verify(() -> {
          assertThat(metrics).contains("skillhost_cluster_takeovers_tasks_total 20.0");
          for (Future<String> id : ids) {
            assertThat(b.simSubmits(id.result())).as("sent once: %s", id.result()).isEqualTo(1);
          }
          assertThat(nodesOf(ids)).containsOnly(b.host().node());
          ctx.completeNow();
        })));
  }

  @Test
  void a_host_whose_lease_lapsed_loses_its_tasks_and_cannot_write_them(VertxTestContext ctx) {
    List<Future<String>> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(a.submit("t2v", new JsonObject().put("duration_ms", 3000 + 50 * i)));
    }
    String oldA = a.host().node();
    Future.all(ids)
        .compose(v -> a.vertx.executeBlocking(() -> {
          // A is "paused": its lease is made to lapse as if it had not renewed it for a while
          try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
              "UPDATE nodes SET alive_until = 0 WHERE id = ?")) {
            ps.setString(1, oldA);
            return ps.executeUpdate();
          }
        }))
        .compose(v -> awaitAll(b, ids))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          for (Future<String> id : ids) {
            assertThat(b.simSubmits(id.result())).as("sent once: %s", id.result()).isEqualTo(1);
          }
          // each task ended on B (claimed while A's lease had lapsed) or on A (taken back after it renewed)
          assertThat(nodesOf(ids)).isSubsetOf(oldA, b.host().node());
          ctx.completeNow();
        })));
  }

  @Test
  void a_stream_on_one_host_follows_a_task_the_other_watches_and_a_cancel_there_is_forwarded(Vertx vertx,
      VertxTestContext ctx) {
    io.vertx.core.http.HttpClient http = vertx.createHttpClient();
    Future<String> followed = a.submit("t2v", new JsonObject().put("duration_ms", 1500));
    Future<String> cancelled = a.submit("t2v", new JsonObject().put("duration_ms", 20_000));
    Future.all(followed, cancelled)
        .compose(v -> http.request(new io.vertx.core.http.RequestOptions().setHost("127.0.0.1").setPort(b.port())
                .setURI("/v1/tasks/" + followed.result() + "/events").putHeader("Authorization", "Bearer " + b.key)
                .putHeader("Accept", "text/event-stream"))
            .compose(req -> req.send()).compose(resp -> resp.body()))
        .compose(body -> b.post("/v1/tasks/" + cancelled.result() + "/cancel", new JsonObject())
            .map(r -> List.of(body.toString(), r)))
        .compose(r -> a.awaitState(cancelled.result(), "cancelled").map(r))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          List<Long> seqs = new ArrayList<>();
          for (String line : ((String) r.get(0)).split("\n")) {
            if (line.startsWith("id: ")) {
              seqs.add(Long.parseLong(line.substring(4).strip()));
            }
          }
          assertThat(seqs).as("the whole stream from B, live and in order").isNotEmpty();
          for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(i + 1L);
          }
          assertThat((String) r.get(0)).contains("succeeded");
          var cancel = (io.vertx.ext.web.client.HttpResponse<?>) r.get(1);
          assertThat(cancel.statusCode()).as(cancel.bodyAsString()).isEqualTo(200);
          http.close();
          ctx.completeNow();
        })));
  }

  private Future<Void> awaitAll(TestHost on, List<Future<String>> ids) {
    List<Future<JsonObject>> done = new ArrayList<>();
    for (Future<String> id : ids) {
      done.add(on.awaitState(id.result(), "succeeded"));
    }
    return Future.all(done).mapEmpty();
  }

  private List<String> nodesOf(List<Future<String>> ids) throws Exception {
    List<String> nodes = new ArrayList<>();
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT node FROM tasks WHERE id = ?")) {
      for (Future<String> id : ids) {
        ps.setString(1, id.result());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          nodes.add(rs.getString(1));
        }
      }
    }
    return nodes;
  }

  private Connection connect() throws Exception {
    var u = dev.skillhost.host.store.StoreUrl.parse(url);
    return DriverManager.getConnection(u.jdbc(), u.user(), u.password());
  }
}
