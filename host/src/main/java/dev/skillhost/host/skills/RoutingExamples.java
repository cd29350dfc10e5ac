package dev.skillhost.host.skills;

import dev.skillhost.api.Account;
import dev.skillhost.api.Estimate;
import dev.skillhost.api.Job;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Runs every example's {@code routes_to:} through the host's {@link Router} over a whole set of
 * skills, each provider taken as loaded, signed in and ready: what the router makes of a request
 * by intent alone. Also the accuracy report of {@code skills test}: per skill and language, how
 * many examples got what they expect, from their own skill and from the router.
 *
 * <p>The bundled simulator (provider {@code sim}) is judged as the simulator it is: it serves only
 * what no real skill takes, as in a running host.
 */
public final class RoutingExamples {

  /** The simulator plugin's id; its skills are for trials. */
  static final String SIMULATOR = "sim";

  /**
   * One routed example.
   *
   * @param skill   the manifest it stands in
   * @param example the example
   * @param got     what the router made of it: {@code skill.operation}, unsupported, unclear or none
   * @param params  the parameters the answer sets (for {@code params:} checks)
   * @param passed  whether {@code got} is {@code routes_to} and the params hold
   * @param why     the answer's explanation when it failed (match and candidates), else empty
   */
  public record Outcome(String skill, Example example, String got, JsonObject params, boolean passed, String why) {}

  private RoutingExamples() {}

  /** Routes every example that has {@code routes_to}, over {@code skills} in preference order {@code preference}. */
  public static List<Outcome> run(List<Skill> skills, List<String> preference) {
    Router router = Router.over(() -> skills, ready(), preference);
    List<Outcome> out = new ArrayList<>();
    for (Skill skill : skills) {
      for (Example e : skill.examples()) {
        if (e.routesTo() == null) {
          continue;
        }
        RouteAnswer answer = router.route(RouteRequest.of(e.text(), e.attachments(), e.locale()))
            .toCompletionStage().toCompletableFuture().join();
        String got = answer instanceof RouteAnswer.Routed r ? r.skill().id() + "." + r.operation()
            : answer instanceof RouteAnswer.Boundary ? Example.UNSUPPORTED
            : answer instanceof RouteAnswer.Unclear ? Example.UNCLEAR
            : Example.NONE;
        JsonObject params = answer instanceof RouteAnswer.Routed r ? r.params() : new JsonObject();
        boolean passed = got.equals(e.routesTo()) && contains(params, e.params());
        out.add(new Outcome(skill.id(), e, got, params, passed, passed ? "" : why(answer)));
      }
    }
    return out;
  }

  /** Whether {@code params} sets every key of {@code expected} to the same value. */
  static boolean contains(JsonObject params, JsonObject expected) {
    for (String key : expected.fieldNames()) {
      Object want = expected.getValue(key);
      Object have = params.getValue(key);
      boolean same = want instanceof Number w && have instanceof Number h
          ? w.doubleValue() == h.doubleValue() : want.equals(have);
      if (!same) {
        return false;
      }
    }
    return true;
  }

  private static String why(RouteAnswer answer) {
    JsonObject json = answer.toJson();
    List<String> parts = new ArrayList<>();
    if (answer instanceof RouteAnswer.Routed r) {
      parts.add("match " + r.fit().explain());
      parts.add("params " + r.params().encode());
    }
    if (answer instanceof RouteAnswer.Unclear u) {
      parts.add(u.question());
    }
    json.getJsonArray("candidates").stream().limit(4).map(JsonObject.class::cast)
        .forEach(c -> parts.add(c.getString("skill") + "." + c.getString("operation") + ": " + c.getString("reason")));
    return String.join(" | ", parts);
  }

  /**
   * The accuracy table: one row per skill and language, with the examples its own routes got
   * right and those the router got right, e.g. {@code chatart  zh  own 31/31  router 24/24}.
   */
  public static List<String> report(List<Skill> skills, List<Outcome> routed) {
    Map<String, int[]> rows = new TreeMap<>();
    for (Skill skill : skills) {
      for (SkillExamples.Outcome o : SkillExamples.run(skill)) {
        int[] row = rows.computeIfAbsent(skill.id() + "\u0000" + language(o.example().locale()), k -> new int[4]);
        row[1]++;
        if (o.passed()) row[0]++;
      }
    }
    for (Outcome o : routed) {
      int[] row = rows.computeIfAbsent(o.skill() + "\u0000" + language(o.example().locale()), k -> new int[4]);
      row[3]++;
      if (o.passed()) row[2]++;
    }
    List<String> lines = new ArrayList<>();
    lines.add(String.format("%-10s %-4s %12s %14s", "skill", "lang", "own routes", "host router"));
    int[] total = new int[4];
    rows.forEach((key, row) -> {
      String[] k = key.split("\u0000");
      lines.add(String.format("%-10s %-4s %12s %14s", k[0], k[1], ratio(row[0], row[1]), ratio(row[2], row[3])));
      for (int i = 0; i < 4; i++) total[i] += row[i];
    });
    lines.add(String.format("%-10s %-4s %12s %14s", "all", "", ratio(total[0], total[1]), ratio(total[2], total[3])));
    return lines;
  }

  private static String ratio(int passed, int all) {
    return all == 0 ? "-" : String.format("%d/%d %3.0f%%", passed, all, 100.0 * passed / all);
  }

  private static String language(String locale) {
    int dash = locale.indexOf('-');
    return dash < 0 ? locale : locale.substring(0, dash);
  }

  /** Every provider loaded, every secret set, signed in; the simulator marked as one. */
  private static Function<String, Optional<Backend>> ready() {
    return provider -> Optional.of(new Backend() {
      @Override
      public Optional<String> secret(String name) {
        return Optional.of("set");
      }

      @Override
      public Future<Estimate> estimate(Job job) {
        return Future.succeededFuture(Estimate.UNKNOWN);
      }

      @Override
      public Future<Account> account() {
        return Future.succeededFuture(new Account("examples", null, new JsonObject()));
      }

      @Override
      public boolean simulated() {
        return SIMULATOR.equals(provider);
      }
    });
  }
}
