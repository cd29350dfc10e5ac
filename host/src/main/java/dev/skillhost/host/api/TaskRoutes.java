package dev.skillhost.host.api;

import dev.skillhost.host.outbox.DeliveryRequest;
import dev.skillhost.host.outbox.OutboxVerticle;
import dev.skillhost.host.skills.Messages;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.tasks.TaskEngineVerticle;
import dev.skillhost.host.tasks.TaskEvents;
import dev.skillhost.host.tasks.TaskRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;

/** {@code /v1/tasks}: create (idempotent), list, read, cancel. */
final class TaskRoutes {

  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 500;
  private static final int MAX_IDEMPOTENCY_KEY = 255;
  static final int MAX_WAIT_S = 60;

  private final TaskEngineVerticle engine;
  private final OutboxVerticle outbox;
  private final Function<String, String> fileLink;

  /**
   * @param fileLink a signed link to a stored file ({@link FileLinks#link}), added to each output as
   *                 {@code link} so a browser's {@code <img>}/{@code <video>} can show it without
   *                 the key; null leaves outputs as stored
   */
  TaskRoutes(TaskEngineVerticle engine, OutboxVerticle outbox, Function<String, String> fileLink) {
    this.engine = engine;
    this.outbox = outbox;
    this.fileLink = fileLink;
  }

  void mount(Router router) {
    router.post("/v1/tasks").handler(this::create);
    router.get("/v1/tasks").handler(this::list);
    router.get("/v1/tasks/:id").handler(this::get);
    router.post("/v1/tasks/:id/cancel").handler(this::cancel);
    router.post("/v1/tasks/:id/confirm").handler(this::confirm);
  }

  private void create(RoutingContext ctx) {
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY)) {
      throw ApiException.badRequest("Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters.");
    }
    JsonObject body = Json.object(ctx);
    JsonObject deliver = DeliveryRequest.take(body); // webhook, channel: the outbox's part of the request
    TaskRequest request = TaskRequest.parse(body);
    if (request.locale() == null) {
      request = request.withLocale(Messages.acceptLanguage(ctx.request().getHeader("Accept-Language")).stream()
          .findFirst().orElse(TaskRequest.DEFAULT_LOCALE));
    }
    int wait = preferredWait(ctx.request().getHeader("Prefer"));
    String owner = Auth.owner(ctx);
    TaskRequest checked = request;
    outbox.check(owner, deliver).compose(d -> engine.submit(owner, checked, key, d)).onSuccess(s -> {
      if (!s.created()) {
        ctx.response().putHeader("Idempotent-Replayed", "true");
      }
      ctx.response().putHeader("Location", "/v1/tasks/" + s.task().id());
      if (wait <= 0 || s.task().state().terminal()) {
        answer(ctx, s.task(), wait > 0);
        return;
      }
      ctx.response().putHeader("Preference-Applied", "wait=" + wait);
      awaitEnd(ctx, owner, s.task(), wait);
    }).onFailure(ctx::fail);
  }

  /**
   * {@code Prefer: wait=N} (RFC 7240), N up to {@value #MAX_WAIT_S}: the answer waits until the
   * task ends or N seconds pass. 0 or no preference answers at once; a larger N is capped, not
   * refused, as preferences are hints.
   */
  static int preferredWait(String prefer) {
    if (prefer == null) {
      return 0;
    }
    for (String part : prefer.split(",")) {
      String p = part.strip();
      int semi = p.indexOf(';');
      if (semi >= 0) {
        p = p.substring(0, semi).strip();
      }
      if (p.regionMatches(true, 0, "wait=", 0, 5)) {
        try {
          return (int) Math.max(0, Math.min(MAX_WAIT_S, Long.parseLong(p.substring(5).strip())));
        } catch (NumberFormatException e) {
          throw ApiException.badRequest("Prefer: wait must be a whole number of seconds (at most " + MAX_WAIT_S
              + "), not '" + p.substring(5) + "'.");
        }
      }
    }
    return 0;
  }

  /** Answers once the task's events say it ended, or with the running task when the wait is over. */
  private void awaitEnd(RoutingContext ctx, String owner, Task created, int waitSeconds) {
    Vertx vertx = ctx.vertx();
    boolean[] answered = {false};
    MessageConsumer<TaskEvent> events = vertx.eventBus().localConsumer(TaskEvents.taskAddress(created.id()));
    Runnable finish = () -> {
      if (answered[0]) {
        return;
      }
      answered[0] = true;
      events.unregister();
      engine.get(owner, created.id()).onComplete(ar -> {
        if (!ctx.response().closed()) {
          answer(ctx, ar.succeeded() ? ar.result() : created, true);
        }
      });
    };
    long timer = vertx.setTimer(waitSeconds * 1000L, t -> finish.run());
    events.handler(m -> {
      if (m.body().state() != null && m.body().state().terminal()) {
        vertx.cancelTimer(timer);
        finish.run();
      }
    });
    ctx.response().closeHandler(v -> {
      vertx.cancelTimer(timer);
      answered[0] = true;
      events.unregister();
    });
    // it may have ended between the submit and the subscription
    events.completion().compose(v -> engine.get(owner, created.id())).onSuccess(t -> {
      if (t.state().terminal()) {
        vertx.cancelTimer(timer);
        finish.run();
      }
    });
  }

  /** 200 with a task that ended within the wait, else 202 with it as it stands. */
  private void answer(RoutingContext ctx, Task task, boolean waited) {
    ctx.response().setStatusCode(waited && task.state().terminal() ? 200 : 202);
    ctx.json(json(task));
  }

  /** The task as stored, each output with a host file also carrying a fresh signed {@code link}. */
  private JsonObject json(Task task) {
    JsonObject json = task.toJson();
    JsonArray outputs = json.getJsonArray("outputs");
    if (fileLink == null || outputs == null) {
      return json;
    }
    JsonArray linked = new JsonArray();
    for (Object o : outputs) {
      if (o instanceof JsonObject out && out.getValue("file") instanceof String file) {
        linked.add(out.copy().put("link", fileLink.apply(file)));
      } else {
        linked.add(o);
      }
    }
    return json.put("outputs", linked);
  }

  private void list(RoutingContext ctx) {
    Set<TaskState> states = EnumSet.noneOf(TaskState.class);
    for (String value : ctx.queryParam("state")) {
      for (String s : value.split(",")) {
        try {
          states.add(TaskState.ofWire(s.strip()));
        } catch (IllegalArgumentException e) {
          throw ApiException.badRequest(e.getMessage());
        }
      }
    }
    int limit = PageLimit.parse(ctx.request().getParam("limit"), DEFAULT_LIMIT, MAX_LIMIT);
    engine.list(Auth.owner(ctx), states, ctx.request().getParam("provider"), limit, ctx.request().getParam("cursor"))
        .recover(e -> Future.failedFuture(e instanceof IllegalArgumentException ? ApiException.badRequest(e.getMessage()) : e))
        .onSuccess(page -> ctx.json(new JsonObject()
            .put("tasks", new JsonArray(page.tasks().stream().map(this::json).toList()))
            .put("next", page.next())))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    engine.get(Auth.owner(ctx), ctx.pathParam("id")).onSuccess(t -> ctx.json(json(t))).onFailure(ctx::fail);
  }

  private void cancel(RoutingContext ctx) {
    engine.cancel(Auth.owner(ctx), ctx.pathParam("id")).onSuccess(t -> ctx.json(json(t))).onFailure(ctx::fail);
  }

  private void confirm(RoutingContext ctx) {
    engine.confirm(Auth.owner(ctx), ctx.pathParam("id")).onSuccess(t -> ctx.json(json(t))).onFailure(ctx::fail);
  }
}
