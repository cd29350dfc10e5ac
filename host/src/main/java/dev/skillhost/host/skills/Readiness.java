package dev.skillhost.host.skills;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a skill's provider can serve now, and if not, what it needs.
 *
 * @param provider the provider id
 * @param loaded   whether the provider plugin is loaded
 * @param secrets  when loaded: the required secrets that are not set; when not loaded: every
 *                 required secret (whether they are set cannot be told without the provider)
 * @param login    whether it still needs a device-style login: the skill requires one and the
 *                 provider's account call did not name a signed-in account
 * @param problem  what the provider says is wrong with its configuration (a malformed key), or else
 *                 that its circuit breaker is open or half-open ({@code circuit open: …}), else null
 */
public record Readiness(String provider, boolean loaded, List<String> secrets, boolean login, String problem) {

  public Readiness {
    secrets = List.copyOf(secrets);
  }

  public boolean ready() {
    return loaded && secrets.isEmpty() && !login && problem == null;
  }

  /** What stands in the way, for people, e.g. {@code missing credentials LOVART_ACCESS_KEY, LOVART_SECRET_KEY}. */
  public List<String> reasons() {
    List<String> reasons = new ArrayList<>();
    if (!loaded) {
      reasons.add("provider " + provider + " not loaded");
    }
    if (!secrets.isEmpty()) {
      reasons.add((loaded ? "missing credentials " : "needs credentials ") + String.join(", ", secrets));
    }
    if (login) {
      reasons.add("needs login");
    }
    if (problem != null) {
      reasons.add(problem);
    }
    return List.copyOf(reasons);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("provider_loaded", loaded)
        .put("secrets", new JsonArray(secrets))
        .put("login", login)
        .put("sign_in", login ? "/v1/providers/" + provider + "/login" : null)
        .put("problem", problem)
        .put("reasons", new JsonArray(reasons()));
  }
}
