package dev.skillhost.host.mcp;

import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.tasks.TaskEngineVerticle;
import dev.skillhost.host.tasks.TaskEvents;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * A session's view of its key's task events: {@code notifications/tasks/status} for the tasks it
 * made or asked about (2025-11-25), and {@code notifications/resources/updated} for the task
 * resources it subscribed to, all on the session's standalone stream. One event-bus consumer per
 * session, opened the first time it is needed.
 */
final class McpEvents {

  private final Vertx vertx;
  private final TaskEngineVerticle engine;
  private final TaskViews views;

  McpEvents(Vertx vertx, TaskEngineVerticle engine, TaskViews views) {
    this.vertx = vertx;
    this.engine = engine;
    this.views = views;
  }

  void track(McpSession session, String taskId) {
    session.tracked.add(taskId);
    listen(session);
  }

  void subscribe(McpSession session, String uri) {
    session.subscriptions.add(uri);
    listen(session);
  }

  private void listen(McpSession session) {
    if (session.events != null || session.closed) {
      return;
    }
    session.events = vertx.eventBus().<TaskEvent>localConsumer(TaskEvents.ownerAddress(session.owner),
        m -> event(session, m.body()));
  }

  private void event(McpSession session, TaskEvent e) {
    if (session.closed) {
      return;
    }
    if (TaskEvent.STATE.equals(e.type()) && session.tracked.contains(e.task()) && session.modern()) {
      engine.get(session.owner, e.task()).onSuccess(t ->
          session.notifyClient("notifications/tasks/status", views.mcpTask(t)));
    }
    if (session.subscriptions.isEmpty()) {
      return;
    }
    String task = TaskViews.taskUri(e.task());
    if (session.subscriptions.contains(task)) {
      session.notifyClient("notifications/resources/updated", new JsonObject().put("uri", task));
    }
    if (TaskEvent.OUTPUT.equals(e.type()) || (e.state() != null && e.state().terminal())) {
      String prefix = task + "/outputs/";
      session.subscriptions.stream().filter(u -> u.startsWith(prefix)).sorted().forEach(u ->
          session.notifyClient("notifications/resources/updated", new JsonObject().put("uri", u)));
    }
  }
}
