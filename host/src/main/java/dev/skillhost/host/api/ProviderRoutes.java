package dev.skillhost.host.api;

import dev.skillhost.host.metrics.HostMetrics;
import dev.skillhost.host.plugins.PluginHost;
import dev.skillhost.host.plugins.ProviderStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import dev.skillhost.api.ProviderException;
import dev.skillhost.host.plugins.LiveProvider;
import dev.skillhost.host.tasks.TaskEngineVerticle;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/providers}: every plugin the host knows, live or refused, with the cause, and how
 * full each of its rate buckets is now ({@code used} of {@code permits} in the last window);
 * {@code GET /v1/providers/{id}/account}: its account and credits.
 */
final class ProviderRoutes {

  private static final long ACCOUNT_TIMEOUT_S = 30;

  private final PluginHost plugins;
  private final TaskEngineVerticle engine;

  ProviderRoutes(PluginHost plugins, TaskEngineVerticle engine) {
    this.plugins = plugins;
    this.engine = engine;
  }

  void mount(Router router) {
    router.get("/v1/providers").handler(ctx -> engine.bucketFill()
        .onSuccess(fills -> ctx.json(new JsonObject().put("providers",
            new JsonArray(plugins.statuses().stream().map(s -> json(s, fills)).toList()))))
        .onFailure(ctx::fail));
    router.get("/v1/providers/:id/account").handler(this::account);
  }

  /** The provider's account: who is signed in and the credits left (one call to the backend). */
  private void account(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    LiveProvider live = plugins.provider(id).orElseThrow(() -> ApiException.notFound("Provider '" + id + "' is not loaded."));
    live.call(p -> p.account(live.context())).timeout(ACCOUNT_TIMEOUT_S, TimeUnit.SECONDS)
        .onSuccess(a -> ctx.json(a.toJson().put("provider", id)))
        .onFailure(e -> ctx.fail(e instanceof ProviderException pe && "unsupported".equals(pe.code())
            ? new ApiException(404, "account-not-supported", "No account", "Provider '" + id + "' has no account to show.")
            : new ApiException(502, "account-failed", "The account could not be read",
                e instanceof ProviderException pe ? pe.getMessage() : "the provider did not answer in time")));
  }

  /**
   * The status, plus what the live provider says is wrong with its configuration, its circuit
   * breaker and, on each rate bucket, the calls {@code used} in its window now.
   */
  private JsonObject json(ProviderStatus status, List<HostMetrics.BucketFill> fills) {
    JsonObject json = status.toJson();
    JsonObject info = json.getJsonObject("info");
    JsonArray buckets = info == null ? null : info.getJsonArray("rate_buckets");
    for (int i = 0; buckets != null && i < buckets.size(); i++) {
      JsonObject b = buckets.getJsonObject(i);
      b.put("used", fills.stream().filter(f -> f.provider().equals(status.id()) && f.bucket().equals(b.getString("name")))
          .mapToLong(HostMetrics.BucketFill::used).findFirst().orElse(0));
    }
    if (status.id() != null) {
      plugins.provider(status.id()).ifPresent(live -> {
        json.put("circuit", live.circuit().toJson());
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
