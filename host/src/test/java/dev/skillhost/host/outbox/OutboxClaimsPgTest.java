package dev.skillhost.host.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.net.AddressPolicy;
import dev.skillhost.host.store.Database;
import dev.skillhost.host.store.PgServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two outbox "nodes" (each with its own store connections, writer and node id, as two processes
 * would have) on one real PostgreSQL database and one shared directory, sending to one receiver.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class OutboxClaimsPgTest {

  static final String OWNER = "o_claims";

  @TempDir Path shared;
  private final List<Database> dbs = new CopyOnWriteArrayList<>();
  private final List<Hit> hits = new CopyOnWriteArrayList<>();
  private volatile boolean hang;
  private volatile StandardWebhooksVerifier verifier;
  private HttpServer receiver;
  private String url;
  private Database db;

  /** One request as the receiver got it: which delivery, when, whether its signature held. */
  record Hit(String id, long at, String problem, int port) {}

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    url = PgServer.get().newDatabase();
    db = node(vertx, url); // Flyway makes the schema, V5's claims included
    vertx.createHttpServer().requestHandler(this::receive).listen(0, "127.0.0.1")
        .onComplete(ctx.succeeding(s -> {
          receiver = s;
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(Vertx vertx, VertxTestContext ctx) {
    Future<Void> closed = Future.all(vertx.deploymentIDs().stream().map(vertx::undeploy).toList())
        .compose(v -> receiver == null ? Future.succeededFuture() : receiver.close());
    closed.compose(v -> vertx.executeBlocking(() -> {
      dbs.forEach(Database::close);
      return null;
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void two_nodes_send_each_due_delivery_exactly_once_and_share_the_work(Vertx vertx, VertxTestContext ctx) {
    int n = 300;
    Future<OutboxVerticle> a = outbox(vertx, "n_alpha", Duration.ofSeconds(5));
    Future<OutboxVerticle> b = outbox(vertx, "n_bravo", Duration.ofSeconds(5));
    Future.all(a, b)
        .compose(v -> a.result().secret(OWNER)).onSuccess(secret -> verifier = new StandardWebhooksVerifier(secret))
        .compose(v -> enqueue(n))
        .compose(v -> Future.all(vertx.deployVerticle(a.result()), vertx.deployVerticle(b.result())))
        .compose(v -> until(vertx, () -> count("state = 'delivered'"), n))
        .compose(v -> rows())
        .onComplete(ctx.succeeding(rows -> ctx.verify(() -> {
          Map<String, Long> perId = hits.stream().collect(Collectors.groupingBy(Hit::id, Collectors.counting()));
          assertThat(perId).hasSize(n);
          assertThat(perId.values()).as("requests per delivery").containsOnly(1L);
          assertThat(hits).extracting(Hit::problem).containsOnlyNulls();
          assertThat(rows.values()).extracting(r -> r.getInteger("attempts")).containsOnly(1);
          Map<String, Long> byNode = rows.values().stream()
              .collect(Collectors.groupingBy(r -> r.getString("claimed_by"), Collectors.counting()));
          // both nodes sent some: the claims were contended, not served by one node alone
          assertThat(byNode).containsOnlyKeys("n_alpha", "n_bravo");
          ctx.completeNow();
        })));
  }

  @Test
  void a_claim_whose_node_stopped_mid_send_is_sent_by_the_other_node_once_it_lapses(Vertx vertx, VertxTestContext ctx) {
    int n = 12; // fewer than a node's attempts in flight (16): the first node sends them all at once
    hang = true; // the first node's requests get no answer: it stops while they are under way
    // a 3 s attempt limit, so a 6 s claim: the first node stops long before either ends
    Future<OutboxVerticle> a = outbox(vertx, "n_alpha", Duration.ofSeconds(3));
    Map<String, Long> claimedUntil = new HashMap<>();
    long[] stoppedAt = new long[1];
    a.compose(v -> a.result().secret(OWNER)).onSuccess(secret -> verifier = new StandardWebhooksVerifier(secret))
        .compose(v -> enqueue(n))
        .compose(v -> vertx.deployVerticle(a.result()))
        .compose(id -> until(vertx, () -> Future.succeededFuture((long) hits.size()), n).map(id))
        .compose(id -> vertx.undeploy(id))
        .compose(v -> {
          stoppedAt[0] = System.currentTimeMillis();
          hang = false;
          return rows();
        })
        .compose(rows -> {
          rows.forEach((id, r) -> claimedUntil.put(id, r.getLong("claimed_until")));
          return outbox(vertx, "n_bravo", Duration.ofSeconds(3));
        })
        .compose(b -> vertx.deployVerticle(b))
        .compose(v -> until(vertx, () -> count("state = 'delivered'"), n))
        .compose(v -> rows())
        .onComplete(ctx.succeeding(rows -> ctx.verify(() -> {
          assertThat(claimedUntil.values()).as("the first node's claims, still standing when it stopped")
              .allMatch(until -> until != null && until > stoppedAt[0]);
          Map<String, List<Hit>> perId = hits.stream().collect(Collectors.groupingBy(Hit::id));
          assertThat(perId).hasSize(n);
          perId.forEach((id, list) -> {
            // the interrupted request, then exactly one more, from the other node after the claim lapsed
            assertThat(list).as(id + " stopped at " + stoppedAt[0] + " claimed until " + claimedUntil.get(id)).hasSize(2);
            assertThat(list.get(1).at()).as(id + " retried only after its claim lapsed").isGreaterThan(claimedUntil.get(id));
          });
          assertThat(hits).extracting(Hit::problem).containsOnlyNulls();
          assertThat(rows.values()).allSatisfy(r -> {
            assertThat(r.getString("claimed_by")).isEqualTo("n_bravo");
            assertThat(r.getInteger("attempts")).as("the stopped node's attempt was never stored").isEqualTo(1);
          });
          ctx.completeNow();
        })));
  }

  private void receive(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      StandardWebhooksVerifier v = verifier;
      String id = req.getHeader("webhook-id");
      hits.add(new Hit(id, System.currentTimeMillis(), v == null ? "no secret yet"
          : v.problem(id, req.getHeader("webhook-timestamp"), req.getHeader("webhook-signature"), body.getBytes()),
          req.connection().remoteAddress().port()));
      if (!hang) {
        req.response().setStatusCode(204).end();
      }
    });
  }

  /** One node's outbox on {@code url}: its own connections, writer and id, the directory shared by all. */
  private Future<OutboxVerticle> outbox(Vertx vertx, String node, Duration timeout) {
    Database own = node(vertx, url);
    OutboxVerticle.Options options = new OutboxVerticle.Options(OutboxTesting.schedule(50), Duration.ofMillis(10),
        timeout, 16, node);
    return OutboxVerticle.open(vertx, own, null, AddressPolicy.allowing(List.of("127.0.0.1")), shared, options,
        Clock.systemUTC());
  }

  private Database node(Vertx vertx, String url) {
    Database d = Database.open(vertx, dev.skillhost.host.store.StoreUrl.parse(url));
    dbs.add(d);
    return d;
  }

  private Future<Void> enqueue(int n) {
    String target = "http://127.0.0.1:" + receiver.actualPort() + "/hook";
    long now = System.currentTimeMillis();
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO deliveries(id, task_id, owner, kind, target, event_seq,"
          + " event_type, payload, state, attempts, next_at, created_at, updated_at)"
          + " VALUES (?, ?, ?, 'webhook', ?, ?, 'task.state', ?, 'pending', 0, ?, ?, ?)")) {
        for (int i = 0; i < n; i++) {
          ps.setString(1, "msg_t" + i + "_1");
          ps.setString(2, "t" + i);
          ps.setString(3, OWNER);
          ps.setString(4, target);
          ps.setLong(5, 1);
          ps.setString(6, new JsonObject().put("type", "task.state").put("n", i).encode());
          ps.setLong(7, now);
          ps.setLong(8, now);
          ps.setLong(9, now);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  private Future<Long> count(String where) {
    return db.read(c -> {
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM deliveries WHERE " + where)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** Every delivery row by id: state, attempts, claimed_by, claimed_until. */
  private Future<Map<String, JsonObject>> rows() {
    return db.read(c -> {
      Map<String, JsonObject> out = new ConcurrentHashMap<>();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT id, state, attempts, claimed_by, claimed_until FROM deliveries")) {
        while (rs.next()) {
          Long until = rs.getObject(5, Long.class);
          out.put(rs.getString(1), new JsonObject().put("state", rs.getString(2)).put("attempts", rs.getInt(3))
              .put("claimed_by", rs.getString(4)).put("claimed_until", until));
        }
      }
      return out;
    });
  }

  /** Polls every 20 ms until {@code value} reaches {@code target} (the test's @Timeout bounds it). */
  private static Future<Void> until(Vertx vertx, Supplier<Future<Long>> value, long target) {
    return value.get().compose(v -> v >= target ? Future.succeededFuture()
        : vertx.timer(20).compose(t -> until(vertx, value, target)));
  }
}
