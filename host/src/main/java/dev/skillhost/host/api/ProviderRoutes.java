package dev.skillhost.host.api;

import dev.skillhost.host.plugins.PluginHost;
import dev.skillhost.host.plugins.ProviderStatus;
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
        new JsonArray(plugins.statuses().stream().map(this::json).toList()))));
  }

  /** The status, plus what the live provider says is wrong with its configuration. */
  private JsonObject json(ProviderStatus status) {
    JsonObject json = status.toJson();
    if (status.id() != null) {
      plugins.provider(status.id()).ifPresent(live -> {
        try {
          live.provider().configProblem(live.context()).ifPresent(p -> json.put("config_problem", p));
        } catch (RuntimeException | LinkageError e) {
          json.put("config_problem", "the provider could not check its configuration: " + e);
        }
      });
    }
    return json;
  }
}
