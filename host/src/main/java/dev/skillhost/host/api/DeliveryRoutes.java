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
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where results go: {@code GET /v1/channels} (the chat channels plugins serve),
 * {@code GET /v1/webhooks/secret} (the caller's signing secret) and
 * {@code GET /v1/tasks/{id}/deliveries} (each webhook and channel delivery of a task, with its state)
 * and {@code GET /v1/deliveries} (the caller's deliveries across tasks, newest first, for the
 * console's Deliveries page: which ones are failing, and where, without opening every task).
 */
final class DeliveryRoutes {

  static final List<String> STATES = List.of("pending", "sending", "delivered", "failed");
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 200;

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
    router.get("/v1/deliveries").handler(this::all);
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

  private void all(RoutingContext ctx) {
    Set<String> states = new LinkedHashSet<>();
    for (String value : ctx.queryParam("state")) {
      for (String state : value.split(",")) {
        if (!STATES.contains(state.strip())) {
          throw ApiException.badRequest("unknown delivery state '" + state.strip() + "'; states are " + String.join(", ", STATES) + ".");
        }
        states.add(state.strip());
      }
    }
    int limit = PageLimit.parse(ctx.request().getParam("limit"), DEFAULT_LIMIT, MAX_LIMIT);
    String cursor = ctx.request().getParam("cursor");
    Long beforeAt = null;
    String beforeId = null;
    if (cursor != null) {
      String[] at = decode(cursor);
      beforeAt = Long.parseLong(at[0]);
      beforeId = at[1];
    }
    outbox.deliveriesOf(Auth.owner(ctx), states, beforeAt, beforeId, limit).onSuccess(list -> {
      JsonArray rows = new JsonArray();
      for (OutboxEntry e : list) {
        rows.add(e.toJson().put("task", e.taskId()));
      }
      OutboxEntry last = list.size() == limit ? list.get(list.size() - 1) : null;
      ctx.json(new JsonObject().put("deliveries", rows).put("next", last == null ? null : encode(last)));
    }).onFailure(ctx::fail);
  }

  /** The cursor after {@code e}: its creation time and id, opaque to the caller. */
  private static String encode(OutboxEntry e) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((e.createdAt() + ":" + e.id()).getBytes(StandardCharsets.UTF_8));
  }

  private static String[] decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] parts = text.split(":", 2);
      if (parts.length == 2 && parts[0].matches("\\d{1,19}") && !parts[1].isEmpty()) {
        Long.parseLong(parts[0]);
        return parts;
      }
    } catch (IllegalArgumentException ignored) {
      // answered below
    }
    throw ApiException.badRequest("'cursor' is not one this host gave out; start again without it.");
  }
}
