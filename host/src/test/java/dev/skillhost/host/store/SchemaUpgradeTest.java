package dev.skillhost.host.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.api.ApiKeys;
import dev.skillhost.host.testing.HostTestBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A database file made by a host from before confirmations were stored is upgraded in place: its
 * tasks load, a task it left awaiting confirmation is confirmed once and submitted once, and the
 * store itself refuses a second confirmation of the same ask.
 */
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class SchemaUpgradeTest extends HostTestBase {

  /** The task schema as the first release created it, verbatim: no confirmed_at, no schema_versions. */
  private static final String[] FIRST_RELEASE = {
    """
    CREATE TABLE tasks(
      id TEXT PRIMARY KEY,
      owner TEXT NOT NULL,
      state TEXT NOT NULL,
      provider TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      idem_key TEXT,
      body TEXT NOT NULL)""",
    "CREATE UNIQUE INDEX tasks_idem ON tasks(owner, idem_key) WHERE idem_key IS NOT NULL",
    "CREATE INDEX tasks_owner ON tasks(owner, created_at, id)",
    "CREATE INDEX tasks_open ON tasks(state) WHERE state NOT IN ('succeeded','failed','cancelled')",
    "CREATE TABLE health_probe(at INTEGER NOT NULL)",
    "CREATE TABLE events(task_id TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY(task_id, seq)) WITHOUT ROWID"
  };

  private static final String ID = "t_oldfile000000000000";

  /** Writes {@code file} as the first release would have left it, with {@code task} awaiting confirmation. */
  private static void firstReleaseFile(Path file, Task task) throws SQLException, java.io.IOException {
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Files.deleteIfExists(Path.of(file + suffix));
    }
    JsonObject body = new JsonObject(TaskCodec.encode(task));
    body.remove("confirmation"); // the first release's codec had no such field
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
      for (String sql : FIRST_RELEASE) {
        st.execute(sql);
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO tasks(id, owner, state, provider, created_at, idem_key, body) VALUES (?,?,?,?,?,NULL,?)")) {
        ps.setString(1, task.id());
        ps.setString(2, task.owner());
        ps.setString(3, task.state().wire());
        ps.setString(4, task.provider());
        ps.setLong(5, task.createdAt());
        ps.setString(6, body.encode());
        ps.executeUpdate();
      }
      long at = task.createdAt();
      for (TaskEvent e : List.of(new TaskEvent(task.id(), 1, TaskEvent.STATE, TaskState.QUEUED, at, new JsonObject()),
          new TaskEvent(task.id(), 2, TaskEvent.STATE, TaskState.AWAITING_CONFIRMATION, at,
              new JsonObject().put("from", "queued")))) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO events(task_id, seq, body) VALUES (?,?,?)")) {
          ps.setString(1, task.id());
          ps.setLong(2, e.seq());
          ps.setString(3, TaskCodec.encodeEvent(e));
          ps.executeUpdate();
        }
      }
    }
  }

  private static List<String> columns(Connection c, String table) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = c.createStatement().executeQuery("PRAGMA table_info(" + table + ")")) {
      while (rs.next()) {
        names.add(rs.getString("name"));
      }
    }
    return names;
  }

  @Test
  void a_task_left_awaiting_by_an_older_host_is_confirmed_once_and_submitted_once_after_the_upgrade(
      Vertx vertx, VertxTestContext ctx) {
    long now = System.currentTimeMillis();
    Task old = new Task(ID, ApiKeys.ownerOf(host.key), "sim", "t2v", "sim", null, TaskState.AWAITING_CONFIRMATION, 2,
        new JsonObject().put("duration_ms", 300).put("cost", 500), new JsonArray(), "en", null, new JsonArray(), null,
        -1, null, now, now, null, "h");
    Path file = dir.resolve("skillhost.db");
    host.stop()
        .compose(v -> vertx.executeBlocking(() -> {
          firstReleaseFile(file, old);
          return null;
        }))
        .compose(v -> host.restart())
        .compose(v -> host.get("/v1/tasks/" + ID))
        .compose(before -> {
          ctx.verify(() -> assertThat(before.bodyAsJsonObject().getString("state")).isEqualTo("awaiting_confirmation"));
          return Future.all(host.post("/v1/tasks/" + ID + "/confirm", new JsonObject()),
              host.post("/v1/tasks/" + ID + "/confirm", new JsonObject()));
        })
        .compose(both -> host.awaitState(ID, "succeeded").map(both))
        .compose(both -> host.stop().map(both))
        .compose(both -> vertx.executeBlocking(() -> {
          try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            List<Object> found = new ArrayList<>();
            found.add(columns(c, "tasks"));
            try (ResultSet rs = c.createStatement().executeQuery(
                "SELECT group_concat(version, ',') FROM (SELECT version FROM flyway_schema_history"
                    + " WHERE success ORDER BY installed_rank)")) {
              found.add(rs.next() ? rs.getString(1) : null);
            }
            try (ResultSet rs = c.createStatement().executeQuery(
                "SELECT confirmed_at FROM tasks WHERE id = '" + ID + "'")) {
              found.add(rs.next() ? rs.getObject(1) : null);
            }
            return List.of(both, found);
          }
        }))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          io.vertx.core.CompositeFuture both = (io.vertx.core.CompositeFuture) r.get(0);
          List<?> found = (List<?>) r.get(1);
          List<Integer> statuses = both.<io.vertx.ext.web.client.HttpResponse<?>>list().stream()
              .map(io.vertx.ext.web.client.HttpResponse::statusCode).sorted().toList();
          assertThat(statuses).containsExactly(200, 409);
          assertThat(found.get(0).toString()).contains("confirmed_at");
          // baselined at 0 (a file from before Flyway), then every step
          assertThat(found.get(1).toString()).startsWith("0,1,2,3");
          assertThat(found.get(2)).isNotNull();
          assertThat(host.simSubmits(ID)).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  /** A file the hand-rolled migrator had upgraded (confirmed_at there, schema_versions at 1) takes Flyway's steps too. */
  @Test
  void a_file_the_old_migrator_upgraded_takes_the_flyway_steps(Vertx vertx, VertxTestContext ctx) {
    Path file = dir.resolve("migrated.db");
    vertx.executeBlocking(() -> {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
        for (String sql : FIRST_RELEASE) {
          st.execute(sql);
        }
        st.execute("ALTER TABLE tasks ADD COLUMN confirmed_at INTEGER");
        st.execute("CREATE TABLE schema_versions(part TEXT PRIMARY KEY, version INTEGER NOT NULL)");
        st.execute("INSERT INTO schema_versions VALUES ('tasks', 1)");
      }
      Database.open(vertx, file).close();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
        List<Object> found = new ArrayList<>();
        found.add(columns(c, "tasks"));
        try (ResultSet rs = c.createStatement().executeQuery(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('schema_versions', 'nodes', 'deliveries', 'kept_outputs')")) {
          rs.next();
          found.add(rs.getInt(1));
        }
        return found;
      }
    }).onComplete(ctx.succeeding(found -> ctx.verify(() -> {
      assertThat(found.get(0).toString()).contains("confirmed_at").contains("node");
      assertThat(found.get(1)).isEqualTo(3); // schema_versions dropped; the rest made
      ctx.completeNow();
    })));
  }

  @Test
  void the_store_takes_one_confirmation_of_an_ask_and_refuses_the_next(Vertx vertx, VertxTestContext ctx) {
    long now = System.currentTimeMillis();
    Task asked = new Task(ID, "owner", "sim", "t2v", null, null, TaskState.AWAITING_CONFIRMATION, 1, new JsonObject(),
        new JsonArray(), "en", null, new JsonArray(), null, -1, null, now, now, null, "h",
        Confirmation.asked(Confirmation.HOST, new JsonObject().put("credits", 500.0), "true", now));
    Task confirmed = asked.withConfirmation(asked.confirmation().confirm(now + 1)).withState(TaskState.QUEUED, 2, now + 1);
    Database db = Database.open(vertx, dir.resolve("cas.db"));
    TaskStore.open(db)
        .compose(store -> store.create(asked, new TaskEvent(ID, 1, TaskEvent.STATE, TaskState.AWAITING_CONFIRMATION, now,
                new JsonObject()))
            // two confirmations of the same ask, queued together: the writer thread serialises them
            .compose(c -> {
              List<Future<Void>> both = List.of(
                  store.confirm(confirmed, List.of(new TaskEvent(ID, 2, TaskEvent.STATE, TaskState.QUEUED, now, new JsonObject()))),
                  store.confirm(confirmed, List.of(new TaskEvent(ID, 2, TaskEvent.STATE, TaskState.QUEUED, now, new JsonObject()))));
              return Future.join(both).transform(ar -> Future.succeededFuture(both));
            })
            .compose(both -> store.get(ID).compose(t -> store.events(ID, 0, 10)
                .map(ev -> List.of(both, t.orElseThrow(), ev)))))
        .eventually(() -> vertx.executeBlocking(() -> {
          db.close();
          return null;
        }))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          @SuppressWarnings("unchecked")
          List<Future<Void>> both = (List<Future<Void>>) r.get(0);
          assertThat(List.of(both.get(0).succeeded(), both.get(1).succeeded())).containsExactlyInAnyOrder(true, false);
          Throwable refused = both.get(0).succeeded() ? both.get(1).cause() : both.get(0).cause();
          assertThat(refused).isInstanceOf(TaskStore.NotAwaiting.class);
          Task stored = (Task) r.get(1);
          assertThat(stored.state()).isEqualTo(TaskState.QUEUED);
          assertThat(stored.confirmation().confirmedAt()).isEqualTo(now + 1);
          assertThat(stored.confirmation().estimate().getDouble("credits")).isEqualTo(500.0);
          assertThat((List<?>) r.get(2)).hasSize(2);
          ctx.completeNow();
        })));
  }
}
