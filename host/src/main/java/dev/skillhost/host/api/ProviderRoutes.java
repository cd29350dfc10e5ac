package dev.skillhost.host.api;

import dev.skillhost.host.plugins.PluginHost;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** {@code GET /v1/providers}: every plugin the host knows, live or refused, with the cause. */
final class ProviderRoutes {

  private final PluginHost plugins;

  ProviderRoutes(PluginHost plugins) {
    this.plugins = plugins;
  }

  void mount(Router router) {
    router.get("/v1/providers").handler(ctx -> ctx.json(new JsonObject().put("providers",
        new JsonArray(plugins.statuses().stream().map(s -> s.toJson()).toList()))));
  }
}
