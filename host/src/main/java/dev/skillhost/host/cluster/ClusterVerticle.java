package dev.skillhost.host.cluster;

import dev.skillhost.host.store.Connector;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.tasks.Forwarder;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.Optional;

/**
 * This node's links to the other nodes over PostgreSQL, for a host on a PostgreSQL store: the
 * NOTIFY {@link #hook()} for the task store, one LISTEN connection whose events the
 * {@link EventRelay} puts on the local bus, and {@link NodeCalls} for commands, which the engine
 * reaches through this verticle as its {@link Forwarder}. All of it runs on this verticle's
 * context; start completes once the node listens.
 *
 * <p>Why LISTEN/NOTIFY rather than a clustered event bus: the nodes share the database already,
 * NOTIFY is sent by the very transaction that stores the events (delivered at its commit, in
 * commit order, dropped by a rollback), so a stream can never be told of an event the store lacks,
 * and no second membership system (Hazelcast's) has to agree with the nodes table on who is alive.
 */
public final class ClusterVerticle extends VerticleBase implements Forwarder {

  private final String node;
  private final Connector connector;
  private final EventRelay.EventLog events;
  private final NodeCalls.Watchers watchers;
  private final NodeCalls.Tasks tasks;
  private final NodeCalls.Here here;
  private final NotifyHook hook;
  private Duration callTimeout = NodeCalls.DEFAULT_TIMEOUT;
  private PgNotifier notifier;
  private PgListener listener;
  private EventRelay relay;
  private volatile NodeCalls calls;

  /**
   * @param node      this node's id ({@code Node.id()})
   * @param connector dedicated connections to the store ({@code Database::openConnection})
   * @param events    the store's {@code events(task, after, limit)}, to fill gaps
   * @param watchers  which live node watches a task (the store's {@code node(id)}, live nodes only)
   * @param tasks     the store's {@code get(id)}, read after a forwarded command succeeded
   * @param here      the engine's {@code commandHere}, for commands other nodes forward here
   */
  public ClusterVerticle(String node, Connector connector, EventRelay.EventLog events, NodeCalls.Watchers watchers,
      NodeCalls.Tasks tasks, NodeCalls.Here here) {
    this.node = node;
    this.connector = connector;
    this.events = events;
    this.watchers = watchers;
    this.tasks = tasks;
    this.here = here;
    this.hook = new NotifyHook(node);
  }

  /** How long a forwarded command waits for the watching node; before deploying. */
  public ClusterVerticle callTimeout(Duration timeout) {
    this.callTimeout = timeout;
    return this;
  }

  /** The hook the task store runs in every task write (add it before any task is written). */
  public NotifyHook hook() {
    return hook;
  }

  /** The LISTEN connection's name in {@code pg_stat_activity}. */
  public String listenerName() {
    return "skillhost-listen-" + node;
  }

  @Override
  public Future<?> start() {
    notifier = new PgNotifier(vertx, connector, "notify-" + node);
    listener = new PgListener(connector, listenerName(), context);
    relay = new EventRelay(vertx, node, events, EventRelay.DEFAULT_TASKS).attach(listener);
    NodeCalls made = new NodeCalls(vertx, node, notifier, watchers, tasks, here, callTimeout).attach(listener);
    return listener.start().onSuccess(v -> calls = made);
  }

  @Override
  public Future<?> stop() {
    calls = null;
    listener.close();
    notifier.close();
    return Future.succeededFuture();
  }

  @Override
  public Future<Optional<Task>> forward(Command command, String owner, String taskId) {
    NodeCalls c = calls;
    return c == null ? Future.succeededFuture(Optional.empty()) : c.forward(command, owner, taskId);
  }

  /** Events relayed from notices and read from the store (on this verticle's context). */
  public EventRelay relay() {
    return relay;
  }

  /** How many times the LISTEN connection was opened. */
  public int connections() {
    return listener.connections();
  }
}
