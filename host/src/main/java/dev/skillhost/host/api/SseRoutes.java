package dev.skillhost.host.api;

import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.tasks.TaskEngineVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /v1/tasks/{id}/events}: the task's event log as Server-Sent Events, resumable with
 * {@code Last-Event-ID} (or {@code ?since=N}); closes after the task's final event. With
 * {@code Accept: application/json} it answers the stored events as a JSON list instead.
 */
final class SseRoutes {

  private static final long HEARTBEAT_MS = 15_000;

  private final Vertx vertx;
  private final TaskEngineVerticle engine;
  /** Open streams, for the subscribers gauge. */
  private final AtomicInteger subscribers;

  SseRoutes(Vertx vertx, TaskEngineVerticle engine, AtomicInteger subscribers) {
    this.vertx = vertx;
    this.subscribers = subscribers;
    this.engine = engine;
  }

  void mount(Router router) {
    router.get("/v1/tasks/:id/events").handler(this::events);
  }

  private void events(RoutingContext ctx) {
    String owner = Auth.owner(ctx);
    String id = ctx.pathParam("id");
    String header = ctx.request().getHeader("Last-Event-ID");
    long since = Since.parse(header != null ? header : ctx.request().getParam("since"),
        header != null ? "Last-Event-ID" : "since");
    String accept = ctx.request().getHeader("Accept");
    if (accept != null && accept.contains("application/json") && !accept.contains("text/event-stream")) {
      engine.events(owner, id, since, 1000)
          .onSuccess(events -> ctx.json(new JsonArray(events.stream().map(TaskEvent::toJson).toList())))
          .onFailure(ctx::fail);
      return;
    }
    HttpServerResponse response = ctx.response();
    TaskFeed.Sink sink = new TaskFeed.Sink() {
      @Override
      public boolean write(TaskEvent event) {
        if (response.closed()) {
          return false;
        }
        if (!response.headWritten()) {
          start(response);
        }
        if (response.writeQueueFull()) {
          // bounded: a reader this far behind reconnects with Last-Event-ID and misses nothing
          response.reset();
          return false;
        }
        response.write("id: " + event.seq() + "\nevent: " + event.type() + "\ndata: " + event.encode() + "\n\n");
        return true;
      }

      @Override
      public void end() {
        if (!response.headWritten()) {
          start(response);
        }
        response.end();
      }
    };
    TaskFeed.open(vertx, engine, owner, id, since, sink).onSuccess(feed -> {
      if (response.ended()) {
        return;
      }
      if (!response.headWritten()) {
        start(response);
      }
      long heartbeat = vertx.setPeriodic(HEARTBEAT_MS, t -> {
        if (!response.ended() && !response.closed()) {
          response.write(": keep-alive\n\n");
        }
      });
      subscribers.incrementAndGet();
      boolean[] counted = {true}; // close and end may both come: uncount once
      Runnable uncount = () -> {
        if (counted[0]) {
          counted[0] = false;
          subscribers.decrementAndGet();
        }
      };
      response.closeHandler(v -> {
        vertx.cancelTimer(heartbeat);
        uncount.run();
        feed.close();
      });
      response.endHandler(v -> {
        vertx.cancelTimer(heartbeat);
        uncount.run();
      });
    }).onFailure(ctx::fail);
  }

  private static void start(HttpServerResponse response) {
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.write("retry: 2000\n\n");
  }
}
