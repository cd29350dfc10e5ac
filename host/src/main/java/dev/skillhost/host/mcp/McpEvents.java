package dev.skillhost.host.mcp;

import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.tasks.TaskEngineVerticle;
import dev.skillhost.host.tasks.TaskEvents;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * A session's view of its key's task events: {@code notifications/tasks/status} for the tasks it
 * made or asked about (2025-11-25), {@code notifications/progress} for a task-augmented call that
 * gave a progress token (its token stays valid for the task's lifetime), and
 * {@code notifications/resources/updated} for the task resources it subscribed to and
 * {@code notifications/resources/list_changed} once it listed resources, all on the
 * session's standalone stream. One event-bus consumer per session, opened the first time it is needed.
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

  /**
   * Sends the progress of {@code taskId} to the client under {@code token} until the task ends:
   * the request that carried the token was answered at once with a CreateTaskResult, and the
   * 2025-11-25 tasks spec keeps the token valid "throughout the task lifetime" (the TypeScript
   * SDK keeps its progress handler for it). Nothing is sent once the task ended, so the client's
   * handler never sees an unknown token.
   */
  void followProgress(McpSession session, String taskId, Object token) {
    session.taskProgress.put(taskId, new TaskProgress(token));
    track(session, taskId);
  }

  /** From now on the client hears {@code notifications/resources/list_changed} when a task of the key succeeds. */
  void listResources(McpSession session) {
    session.listsResources = true;
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

  /** Before the status notification of the same event (sent after a read), so progress ends first. */
  private static void progress(McpSession session, TaskProgress p, TaskEvent e) {
    Double fraction = e.data() == null ? null : e.data().getDouble("fraction");
    if (TaskEvent.PROGRESS.equals(e.type()) && fraction != null) {
      p.send(session, e.task(), fraction, e.message());
    } else if (TaskEvent.STATE.equals(e.type()) && e.state() == TaskState.SUCCEEDED) {
      p.send(session, e.task(), 1.0, e.message());
    }
    if (TaskEvent.STATE.equals(e.type()) && e.state() != null && e.state().terminal()) {
      session.taskProgress.remove(e.task()); // not on the output before it, which names the state to come
    }
  }

  private void event(McpSession session, TaskEvent e) {
    if (session.closed) {
      return;
    }
    TaskProgress progress = session.taskProgress.get(e.task());
    if (progress != null) {
      progress(session, progress, e);
    }
    if (TaskEvent.STATE.equals(e.type()) && session.tracked.contains(e.task()) && session.modern()) {
      engine.get(session.owner, e.task()).onSuccess(t ->
          session.notifyClient("notifications/tasks/status", views.mcpTask(t)));
    }
    if (session.listsResources && TaskEvent.STATE.equals(e.type()) && e.state() == TaskState.SUCCEEDED) {
      // resources/list is the outputs of the key's succeeded tasks: one more now
      session.notifyClient("notifications/resources/list_changed", new JsonObject());
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

  /** The progress token of one task-augmented call, and the last fraction sent under it (it must grow). */
  static final class TaskProgress {
    private final Object token;
    private double last = -1;

    TaskProgress(Object token) {
      this.token = token;
    }

    void send(McpSession session, String taskId, double fraction, String message) {
      double f = Math.max(0, Math.min(1, fraction));
      if (f <= last) {
        return;
      }
      last = f;
      JsonObject params = new JsonObject().put("progressToken", token).put("progress", f).put("total", 1.0);
      if (message != null) {
        params.put("message", message);
      }
      // a message related to a task carries its id (tasks spec, "Associating Task-Related Messages")
      params.put("_meta", new JsonObject().put(TaskViews.RELATED_TASK, new JsonObject().put("taskId", taskId)));
      session.notifyClient("notifications/progress", params);
    }
  }
}
