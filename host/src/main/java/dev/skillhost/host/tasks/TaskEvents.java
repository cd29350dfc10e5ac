package dev.skillhost.host.tasks;

import dev.skillhost.host.store.TaskEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Where committed task events are published on the event bus: one address per task and one per
 * owner. Events travel by reference (they are immutable), never copied or encoded on the way.
 */
public final class TaskEvents {

  private TaskEvents() {}

  /** Every event of one task, after it is stored. */
  public static String taskAddress(String taskId) {
    return "skillhost.task." + taskId;
  }

  /** Every event of every task of one owner, after it is stored. */
  public static String ownerAddress(String owner) {
    return "skillhost.owner." + owner;
  }

  /**
   * Told when live events may have been missed (the cluster's LISTEN connection was lost and is
   * back): every stream of one task reads its stored log after the last seq it sent.
   */
  public static String resyncAddress() {
    return "skillhost.events.resync";
  }

  /** Publishes a stored event of a task of {@code owner} at both its addresses. */
  public static void publish(Vertx vertx, TaskEvent event, String owner) {
    vertx.eventBus().publish(taskAddress(event.task()), event);
    vertx.eventBus().publish(ownerAddress(owner), event);
  }

  /** Lets events travel the local bus by reference; any component that publishes them calls it first. */
  public static void registerCodec(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(TaskEvent.class, new LocalCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // a second host on the same Vert.x instance (tests restart hosts): the codec is already there
    }
  }

  private static final class LocalCodec implements MessageCodec<TaskEvent, TaskEvent> {
    @Override
    public void encodeToWire(Buffer buffer, TaskEvent event) {
      throw new IllegalStateException("task events are published locally only");
    }

    @Override
    public TaskEvent decodeFromWire(int pos, Buffer buffer) {
      throw new IllegalStateException("task events are published locally only");
    }

    @Override
    public TaskEvent transform(TaskEvent event) {
      return event;
    }

    @Override
    public String name() {
      return "skillhost-task-event";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
