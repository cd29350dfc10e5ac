package dev.skillhost.host.api;

import dev.skillhost.host.plugins.PluginHost;
import dev.skillhost.host.plugins.ProviderStatus;
import dev.skillhost.host.skills.ManifestProblem;
import dev.skillhost.host.skills.SkillRegistry;
import dev.skillhost.host.skills.SkillStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Health without a key: {@code /v1/health} (as before: ok, version, provider count),
 * {@code /v1/health/live} (the process answers) and {@code /v1/health/ready} (the store takes a
 * real write, every plugin jar loaded, every manifest accepted), which answers 503 with the
 * reasons otherwise, so a load balancer stops sending work the host would refuse or lose.
 */
final class HealthRoutes {

  /** A store write slower than this counts as not writable (a stuck writer is as bad as a failing one). */
  static final long STORE_PROBE_TIMEOUT_MS = 2_000;

  private final String version;
  private final PluginHost plugins;
  private final SkillRegistry skills;
  private final Supplier<Future<Void>> storeWrite;

  /** @param storeWrite a small real write to the task store; runs on the store's writer thread */
  HealthRoutes(String version, PluginHost plugins, SkillRegistry skills, Supplier<Future<Void>> storeWrite) {
    this.version = version;
    this.plugins = plugins;
    this.skills = skills;
    this.storeWrite = storeWrite;
  }

  /** Mounted before the auth handler. */
  void mount(Router router) {
    router.get("/v1/health").handler(ctx -> ctx.json(new JsonObject()
        .put("status", "ok")
        .put("version", version)
        .put("providers", plugins.statuses().size())));
    router.get("/v1/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "live").put("version", version)));
    router.get("/v1/health/ready").handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    Future<JsonObject> store = storeWrite.get().timeout(STORE_PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(v -> check(List.of()))
        .otherwise(e -> check(List.of("the task store takes no writes: " + e.getMessage())));
    store.onComplete(ar -> {
      JsonObject checks = new JsonObject()
          .put("store", ar.result())
          .put("plugins", check(pluginReasons()))
          .put("skills", check(skillReasons()));
      JsonArray reasons = new JsonArray();
      checks.forEach(e -> ((JsonObject) e.getValue()).getJsonArray("reasons").forEach(reasons::add));
      boolean ready = reasons.isEmpty();
      ctx.response().setStatusCode(ready ? 200 : 503);
      ctx.json(new JsonObject()
          .put("status", ready ? "ready" : "not_ready")
          .put("version", version)
          .put("reasons", reasons)
          .put("checks", checks));
    });
  }

  private List<String> pluginReasons() {
    List<String> reasons = new ArrayList<>();
    List<ProviderStatus> statuses = plugins.statuses();
    if (statuses.stream().noneMatch(s -> s.state() == ProviderStatus.State.STARTED)) {
      reasons.add("no provider plugin is loaded; put a plugin jar in the plugins directory");
    }
    // A refused newer jar beside a live version is no failure: the live version serves.
    statuses.stream().filter(s -> s.state() == ProviderStatus.State.FAILED)
        .forEach(s -> reasons.add("plugin " + (s.id() != null ? s.id() : s.file()) + " failed: " + s.error()));
    return reasons;
  }

  private List<String> skillReasons() {
    List<String> reasons = new ArrayList<>();
    for (SkillStatus s : skills.statuses()) {
      if (s.refused()) {
        String first = s.problems().stream().filter(ManifestProblem::isError).map(ManifestProblem::toString)
            .findFirst().orElse("refused");
        reasons.add("manifest " + s.file() + " refused: " + first);
      }
    }
    return reasons;
  }

  private static JsonObject check(List<String> reasons) {
    return new JsonObject().put("ok", reasons.isEmpty()).put("reasons", new JsonArray(new ArrayList<>(reasons)));
  }
}
