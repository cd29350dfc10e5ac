package dev.skillhost.host.api;

import dev.skillhost.host.outbox.OutboxEntry;
import dev.skillhost.host.outbox.OutboxVerticle;
import dev.skillhost.host.plugins.LiveChannel;
import dev.skillhost.host.plugins.PluginHost;
import dev.skillhost.host.tasks.TaskEngineVerticle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Where results go: {@code GET /v1/channels} (the chat channels plugins serve),
 * {@code GET /v1/webhooks/secret} (the caller's signing secret) and
 * {@code GET /v1/tasks/{id}/deliveries} (each webhook and channel delivery of a task, with its state).
 */
final class DeliveryRoutes {

  private final TaskEngineVerticle engine;
  private final OutboxVerticle outbox;
  private final PluginHost plugins;

  DeliveryRoutes(TaskEngineVerticle engine, OutboxVerticle outbox, PluginHost plugins) {
    this.engine = engine;
    this.outbox = outbox;
    this.plugins = plugins;
  }

  void mount(Router router) {
    router.get("/v1/channels").handler(this::channels);
    router.get("/v1/webhooks/secret").handler(this::secret);
    router.get("/v1/tasks/:id/deliveries").handler(this::deliveries);
  }

  private void channels(RoutingContext ctx) {
    JsonArray list = new JsonArray();
    for (LiveChannel c : plugins.channels()) {
      JsonObject json = new JsonObject()
          .put("id", c.id())
          .put("name", c.info().name())
          .put("description", c.info().description())
          .put("plugin", c.pluginId())
          .put("version", c.version());
      try {
        c.channel().configProblem(c.context()).ifPresent(p -> json.put("config_problem", p));
      } catch (RuntimeException | LinkageError e) {
        json.put("config_problem", "the channel could not check its configuration: " + e);
      }
      list.add(json);
    }
    ctx.json(new JsonObject().put("channels", list));
  }

  private void secret(RoutingContext ctx) {
    outbox.secret(Auth.owner(ctx))
        .onSuccess(s -> ctx.json(new JsonObject().put("secret", s).put("scheme", "standard-webhooks")
            .put("signature", "webhook-signature: v1,<base64 HMAC-SHA256 of \"<webhook-id>.<webhook-timestamp>.<body>\">"
                + " keyed with the base64-decoded part after whsec_")))
        .onFailure(ctx::fail);
  }

  private void deliveries(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    engine.get(Auth.owner(ctx), id)
        .compose(task -> outbox.deliveries(task.id()))
        .onSuccess(list -> ctx.json(new JsonObject().put("task", id)
            .put("deliveries", new JsonArray(list.stream().map(OutboxEntry::toJson).toList()))))
        .onFailure(ctx::fail);
  }
}
