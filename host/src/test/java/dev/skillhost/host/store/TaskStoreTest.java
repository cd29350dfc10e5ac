package dev.skillhost.host.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task store's contract, on SQLite here and on a real PostgreSQL in
 * {@link TaskStoreOnPostgresTest}: idempotent creates (also from two nodes at once), events in
 * order, pages, the one-time confirmation, hooks inside the write, and the node fencing and claims
 * that let several hosts share one store.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class TaskStoreTest {

  @TempDir Path dir;
  private final List<Database> opened = new ArrayList<>();

  /** A new connection set to the store under test, the same store each call. */
  Database openDatabase(Vertx vertx) {
    return Database.open(vertx, dir.resolve("skillhost.db"));
  }

  private Database db(Vertx vertx) {
    Database db = openDatabase(vertx);
    opened.add(db);
    return db;
  }

  /**
   * Another node's connections to the same store: on PostgreSQL another {@link Database} (as
   * another host has); a SQLite file has one host, so its nodes share one.
   */
  Database another(Vertx vertx, Database first) {
    return first;
  }

  void closeLater(Database db) {
    opened.add(db);
  }

  @AfterEach
  void close() {
    opened.forEach(Database::close);
  }

  static Task task(String id, String owner, TaskState state, long at, String key) {
    return new Task(id, owner, "sim", "t2v", null, null, state, 1, new JsonObject().put("n", 1), new JsonArray(), "en",
        null, new JsonArray(), null, -1, null, at, at, key, key == null ? null : "h");
  }

  static TaskEvent first(Task t) {
    return new TaskEvent(t.id(), 1, TaskEvent.STATE, t.state(), t.createdAt(), new JsonObject());
  }

  @Test
  void creates_once_per_idempotency_key_and_owner_and_keeps_events_in_order(Vertx vertx, VertxTestContext ctx) {
    TaskStore store = TaskStore.open(db(vertx)).result();
    Task a = task("t_a", "alice", TaskState.QUEUED, 1000, "k1");
    Task again = task("t_a2", "alice", TaskState.QUEUED, 1001, "k1");
    Task bob = task("t_b", "bob", TaskState.QUEUED, 1002, "k1");
    store.create(a, first(a))
        .compose(c1 -> store.create(again, first(again)).compose(c2 -> store.create(bob, first(bob)).map(c3 -> List.of(c1, c2, c3))))
        .compose(created -> {
          Task running = a.withState(TaskState.RUNNING, 3, 2000);
          return store.save(running, List.of(
                  new TaskEvent("t_a", 2, TaskEvent.STATE, TaskState.RUNNING, 2000, new JsonObject()),
                  new TaskEvent("t_a", 3, TaskEvent.PROGRESS, TaskState.RUNNING, 2000, new JsonObject().put("p", 0.5))))
              .compose(v -> store.events("t_a", 1, 10))
              .compose(events -> store.get("t_a").map(t -> List.of(created, events, t.orElseThrow())));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          @SuppressWarnings("unchecked")
          List<TaskStore.Created> created = (List<TaskStore.Created>) r.get(0);
          assertThat(created.get(0).created()).isTrue();
          assertThat(created.get(1).created()).isFalse();
          assertThat(created.get(1).task().id()).isEqualTo("t_a");
          assertThat(created.get(2).created()).as("another owner's key is another key").isTrue();
          @SuppressWarnings("unchecked")
          List<TaskEvent> events = (List<TaskEvent>) r.get(1);
          assertThat(events).extracting(TaskEvent::seq).containsExactly(2L, 3L);
          assertThat(events.get(1).data().getDouble("p")).isEqualTo(0.5);
          Task stored = (Task) r.get(2);
          assertThat(stored.state()).isEqualTo(TaskState.RUNNING);
          assertThat(stored.seq()).isEqualTo(3);
          ctx.completeNow();
        })));
  }

  @Test
  void two_nodes_creating_under_one_key_at_once_make_one_task(Vertx vertx, VertxTestContext ctx) {
    Database first = db(vertx);
    TaskStore one = TaskStore.open(first, "n_one").result();
    TaskStore two = TaskStore.open(another(vertx, first), "n_two").result();
    List<Future<TaskStore.Created>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Task t = task("t_race" + i, "alice", TaskState.QUEUED, 1000 + i, "same-key");
      all.add((i % 2 == 0 ? one : two).create(t, first(t)));
    }
    Future.join(all)
        .compose(v -> one.list("alice", Set.of(), null, 50, null))
        .onComplete(ctx.succeeding(page -> ctx.verify(() -> {
          assertThat(all).allMatch(Future::succeeded);
          assertThat(all.stream().filter(f -> f.result().created()).count()).isEqualTo(1);
          Set<String> ids = new HashSet<>();
          all.forEach(f -> ids.add(f.result().task().id()));
          assertThat(ids).hasSize(1);
          assertThat(page.tasks()).hasSize(1);
          ctx.completeNow();
        })));
  }

  @Test
  void pages_newest_first_with_filters_and_a_cursor(Vertx vertx, VertxTestContext ctx) {
    TaskStore store = TaskStore.open(db(vertx)).result();
    List<Future<TaskStore.Created>> made = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      Task t = task("t_p" + i, "alice", i % 2 == 0 ? TaskState.QUEUED : TaskState.SUCCEEDED, 1000 + i, null);
      made.add(store.create(t, first(t)));
    }
    Future.all(made)
        .compose(v -> store.list("alice", Set.of(), null, 3, null))
        .compose(p1 -> store.list("alice", Set.of(), null, 3, p1.next()).map(p2 -> List.of(p1, p2)))
        .compose(pages -> store.list("alice", Set.of(TaskState.SUCCEEDED), "sim", 10, null)
            .compose(done -> store.unfinished().map(open -> List.of(pages.get(0), pages.get(1), done, open))))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          TaskPage p1 = (TaskPage) r.get(0);
          TaskPage p2 = (TaskPage) r.get(1);
          assertThat(p1.tasks()).extracting(Task::id).containsExactly("t_p6", "t_p5", "t_p4");
          assertThat(p2.tasks()).extracting(Task::id).containsExactly("t_p3", "t_p2", "t_p1");
          assertThat(((TaskPage) r.get(2)).tasks()).extracting(Task::id).containsExactly("t_p5", "t_p3", "t_p1");
          @SuppressWarnings("unchecked")
          List<Task> open = (List<Task>) r.get(3);
          assertThat(open).extracting(Task::id).containsExactly("t_p0", "t_p2", "t_p4", "t_p6");
          ctx.completeNow();
        })));
  }

  @Test
  void hooks_write_inside_the_task_transaction(Vertx vertx, VertxTestContext ctx) {
    Database db = db(vertx);
    TaskStore store = TaskStore.open(db).result();
    List<String> seen = new CopyOnWriteArrayList<>();
    store.addHook(new TaskStore.Hook() {
      @Override
      public void created(Connection c, Task task, JsonObject deliver) {
        seen.add("created " + task.id());
      }

      @Override
      public void appended(Connection c, Task task, List<TaskEvent> events) throws java.sql.SQLException {
        // a hook that fails undoes the whole write: the task is not stored either
        if (task.id().equals("t_bad")) {
          throw new java.sql.SQLException("hook refused");
        }
        seen.add("appended " + task.id() + " " + events.size());
      }
    });
    store.addHook(new TaskStore.Hook() {
      @Override
      public void created(Connection c, Task task, JsonObject deliver) {
        seen.add("second " + task.id());
      }

      @Override
      public void appended(Connection c, Task task, List<TaskEvent> events) {
      }
    });
    Task good = task("t_good", "alice", TaskState.QUEUED, 1000, null);
    Task bad = task("t_bad", "alice", TaskState.QUEUED, 1001, null);
    store.create(good, first(good))
        .compose(v -> store.create(bad, first(bad)).transform(ar -> Future.succeededFuture(ar.failed())))
        .compose(badFailed -> store.get("t_bad").map(found -> List.of(badFailed, found.isPresent())))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r).containsExactly(true, false);
          assertThat(seen).contains("created t_good", "appended t_good 1", "second t_good");
          ctx.completeNow();
        })));
  }

  @Test
  void a_confirmation_is_taken_once(Vertx vertx, VertxTestContext ctx) {
    TaskStore store = TaskStore.open(db(vertx)).result();
    long now = 5000;
    Task asked = task("t_c", "alice", TaskState.AWAITING_CONFIRMATION, now, null)
        .withConfirmation(Confirmation.asked(Confirmation.HOST, new JsonObject().put("credits", 5.0), "true", now));
    Task confirmed = asked.withConfirmation(asked.confirmation().confirm(now + 1)).withState(TaskState.QUEUED, 2, now + 1);
    List<TaskEvent> events = List.of(new TaskEvent("t_c", 2, TaskEvent.STATE, TaskState.QUEUED, now, new JsonObject()));
    store.create(asked, first(asked))
        .compose(v -> {
          io.vertx.core.CompositeFuture both = Future.join(store.confirm(confirmed, events), store.confirm(confirmed, events));
          return both.transform(ar -> Future.succeededFuture(both));
        })
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          assertThat(both.succeeded(0) ^ both.succeeded(1)).isTrue();
          Throwable refused = both.succeeded(0) ? both.cause(1) : both.cause(0);
          assertThat(refused).isInstanceOf(TaskStore.NotAwaiting.class);
          ctx.completeNow();
        })));
  }

  @Test
  void a_node_writes_only_the_tasks_it_watches(Vertx vertx, VertxTestContext ctx) {
    Database first = db(vertx);
    TaskStore mine = TaskStore.open(first, "n_mine").result();
    TaskStore other = TaskStore.open(another(vertx, first), "n_other").result();
    Task t = task("t_f", "alice", TaskState.QUEUED, 1000, null);
    Task moved = t.withState(TaskState.RUNNING, 2, 2000);
    List<TaskEvent> events = List.of(new TaskEvent("t_f", 2, TaskEvent.STATE, TaskState.RUNNING, 2000, new JsonObject()));
    mine.create(t, first(t))
        .compose(v -> other.save(moved, events).transform(ar -> Future.succeededFuture(ar.cause())))
        .compose(refused -> mine.events("t_f", 0, 10).compose(ev -> other.claims().node("t_f").map(n -> List.of(refused, ev, n))))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.get(0)).isInstanceOf(TaskStore.NotOwned.class);
          assertThat((List<?>) r.get(1)).hasSize(1);
          assertThat(r.get(2)).isEqualTo(java.util.Optional.of("n_mine"));
          ctx.completeNow();
        })));
  }

  @Test
  void live_nodes_claim_a_dead_nodes_open_tasks_each_once(Vertx vertx, VertxTestContext ctx) {
    Database dbDead = db(vertx);
    TaskStore dead = TaskStore.open(dbDead, "n_dead").result();
    TaskStore alive = TaskStore.open(another(vertx, dbDead), "n_alive").result();
    TaskStore one = TaskStore.open(another(vertx, dbDead), "n_one").result();
    TaskStore two = TaskStore.open(another(vertx, dbDead), "n_two").result();
    long now = 100_000;
    List<Future<?>> setup = new ArrayList<>();
    setup.add(dbDead.write(c -> {
      for (String[] n : new String[][] {{"n_dead", String.valueOf(now - 1)}, {"n_alive", String.valueOf(now + 5000)},
          {"n_one", String.valueOf(now + 5000)}, {"n_two", String.valueOf(now + 5000)}}) {
        PreparedStatement ps = c.prepareStatement("INSERT INTO nodes(id, started_at, alive_until) VALUES (?, 0, ?)");
        ps.setString(1, n[0]);
        ps.setLong(2, Long.parseLong(n[1]));
        ps.executeUpdate();
        ps.close();
      }
      return null;
    }));
    for (int i = 0; i < 60; i++) {
      Task t = task("t_o" + (100 + i), "alice", i % 10 == 0 ? TaskState.SUCCEEDED : TaskState.RUNNING, 1000 + i, null);
      setup.add(dead.create(t, first(t)));
    }
    Task kept = task("t_kept", "alice", TaskState.RUNNING, 5000, null);
    setup.add(alive.create(kept, first(kept)));
    Future.all(setup)
        .compose(v -> Future.all(one.claims().claimOrphans(now, 20), two.claims().claimOrphans(now, 20), one.claims().claimOrphans(now, 20),
            two.claims().claimOrphans(now, 20)))
        .compose(rounds -> one.claims().claimOrphans(now, 100).map(rest -> List.of(rounds, rest)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          io.vertx.core.CompositeFuture rounds = (io.vertx.core.CompositeFuture) r.get(0);
          List<String> claimed = new ArrayList<>();
          for (int i = 0; i < 4; i++) {
            rounds.<List<Task>>resultAt(i).forEach(t -> claimed.add(t.id()));
          }
          assertThat(claimed).doesNotHaveDuplicates().hasSize(54).doesNotContain("t_kept", "t_o100", "t_o110");
          assertThat((List<?>) r.get(1)).as("nothing left to claim").isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void a_single_host_claims_every_unfinished_task_at_start(Vertx vertx, VertxTestContext ctx) {
    Database db = db(vertx);
    TaskStore before = TaskStore.open(db, "n_before").result();
    Task open = task("t_u1", "alice", TaskState.SUBMITTING, 1000, null);
    Task done = task("t_u2", "alice", TaskState.FAILED, 1001, null);
    TaskStore after = TaskStore.open(db, "n_after").result();
    Task moved = open.withState(TaskState.UNKNOWN, 2, 3000);
    before.create(open, first(open))
        .compose(v -> before.create(done, first(done)))
        .compose(v -> after.claims().claimAll())
        .compose(claimed -> after.save(moved, List.of(new TaskEvent("t_u1", 2, TaskEvent.STATE, TaskState.UNKNOWN, 3000,
            new JsonObject()))).map(claimed))
        .compose(claimed -> after.probeWrite().map(claimed))
        .onComplete(ctx.succeeding(claimed -> ctx.verify(() -> {
          assertThat(claimed).extracting(Task::id).containsExactly("t_u1");
          ctx.completeNow();
        })));
  }
}
