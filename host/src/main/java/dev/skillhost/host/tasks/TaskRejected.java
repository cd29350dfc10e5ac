package dev.skillhost.host.tasks;

/**
 * A task request the engine refuses: the caller's mistake, mapped to a 4xx problem at the API edge.
 * Cheap: no stack trace.
 */
public final class TaskRejected extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why, with the HTTP status the API answers. */
  public enum Reason {
    INVALID_REQUEST(400, "invalid-request"),
    UNKNOWN_PROVIDER(422, "unknown-provider"),
    UNKNOWN_OPERATION(422, "unknown-operation"),
    UNKNOWN_INPUT(422, "unknown-input"),
    UNKNOWN_SKILL(422, "unknown-skill"),
    NO_ROUTE(422, "no-route"),
    UNCLEAR(422, "unclear-route"),
    NOT_READY(422, "skill-not-ready"),
    UNSUPPORTED(422, "unsupported"),
    IDEMPOTENCY_MISMATCH(422, "idempotency-key-reused"),
    WEBHOOK_REFUSED(422, "webhook-refused"),
    UNKNOWN_CHANNEL(422, "unknown-channel"),
    NOT_FOUND(404, "task-not-found"),
    WRONG_STATE(409, "wrong-state"),
    /** The node that watches the task did not answer a forwarded command; the caller may try again. */
    NODE_UNAVAILABLE(503, "node-unavailable");

    public final int status;
    public final String type;

    Reason(int status, String type) {
      this.status = status;
      this.type = type;
    }
  }

  private final Reason reason;
  private final io.vertx.core.json.JsonObject extensions;

  public TaskRejected(Reason reason, String detail) {
    this(reason, detail, null);
  }

  /** @param extensions members the problem carries beside {@code detail} (RFC 9457 §3.2), or null */
  public TaskRejected(Reason reason, String detail, io.vertx.core.json.JsonObject extensions) {
    super(detail, null, false, false);
    this.reason = reason;
    this.extensions = extensions;
  }

  /** Members for the problem beside {@code detail}, or null. */
  public io.vertx.core.json.JsonObject extensions() {
    return extensions;
  }

  public Reason reason() {
    return reason;
  }
}
