package dev.skillhost.host.mcp;

import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.tasks.TaskEngineVerticle;
import dev.skillhost.host.tasks.TaskEvents;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.Predicate;

/**
 * Waits, without polling, until a task reaches a state the caller wants (or time is up), passing
 * its progress on to the request that waits; answers the task as stored at that moment.
 */
final class TaskWaiter {

  private TaskWaiter() {}

  /**
   * @param until     the states that end the wait (a terminal state always does)
   * @param timeoutMs how long at most; 0 for no bound
   */
  static Future<Task> await(Vertx vertx, TaskEngineVerticle engine, Exchange ex, String owner, String taskId,
      Predicate<TaskState> until, long timeoutMs) {
    Promise<Task> done = Promise.promise();
    Predicate<TaskState> ends = s -> s.terminal() || until.test(s);
    MessageConsumer<TaskEvent> events = vertx.eventBus().localConsumer(TaskEvents.taskAddress(taskId));
    boolean[] finishing = {false};
    // live events may have been lost (another node's, while the cluster's LISTEN connection was down)
    MessageConsumer<Object> resync = vertx.eventBus().localConsumer(TaskEvents.resyncAddress());
    Runnable finish = () -> {
      if (!finishing[0]) { // two ending events may come before the read that answers
        finishing[0] = true;
        events.unregister();
        resync.unregister();
        engine.get(owner, taskId).onComplete(done);
      }
    };
    resync.handler(m -> engine.get(owner, taskId).onSuccess(t -> {
      if (ends.test(t.state())) {
        finish.run();
      }
    }));
    long timer = timeoutMs > 0 ? vertx.setTimer(timeoutMs, t -> finish.run()) : -1;
    events.handler(m -> {
      TaskEvent e = m.body();
      if (ex != null) {
        report(ex, e);
      }
      if (e.state() != null && ends.test(e.state())) {
        finish.run();
      }
    });
    if (ex != null) {
      ex.onCancel(finish);
    }
    // it may have got there before the subscription took
    events.completion().compose(v -> engine.get(owner, taskId)).onComplete(ar -> {
      if (ar.failed()) {
        events.unregister();
        resync.unregister();
        done.tryFail(ar.cause());
      } else if (ends.test(ar.result().state())) {
        finish.run();
      } else if (ex != null && ar.result().progress() > 0) {
        ex.progress(ar.result().progress(), null);
      }
    });
    return done.future().andThen(ar -> vertx.cancelTimer(timer));
  }

  private static void report(Exchange ex, TaskEvent e) {
    Double fraction = e.data() == null ? null : e.data().getDouble("fraction");
    if (TaskEvent.PROGRESS.equals(e.type()) && fraction != null) {
      ex.progress(fraction, e.message());
    } else if (TaskEvent.STATE.equals(e.type()) && e.state() == TaskState.SUCCEEDED) {
      // the state event, not the output before it: it carries the result message, said once
      ex.progress(1.0, e.message());
    }
  }
}
