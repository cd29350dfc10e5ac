package dev.skillhost.host.skills;

import dev.skillhost.api.Account;
import dev.skillhost.api.Estimate;
import dev.skillhost.api.Job;
import dev.skillhost.host.plugins.LiveProvider;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Routes a request to one skill's operation, over every loaded skill.
 *
 * <p>Each skill first judges the request alone ({@link SkillMatcher}: its boundaries, then its
 * first matching route). When several skills route it, the winner is, in this order: one whose
 * provider is loaded and ready (every {@code requires.secrets} set, and for {@code requires.login}
 * an account call that names a signed-in account); then the earlier in the preference order; then
 * the earlier in the skill list (file order). Every other matching skill is listed with why it
 * lost. When no skill routes but a boundary matched, the boundary answers. When nothing matches,
 * the answer lists the nearest routes ({@link Nearest}).
 *
 * <p>The winner's provider, if ready, is asked for an estimate (spends nothing) so that the
 * operation's confirm condition can be judged; without one, whether confirmation is needed is
 * unknown and the answer says so. Login state is judged simply: the skill needs a login unless
 * the provider's account call answers, within {@link #PROVIDER_CALL_TIMEOUT_MS}, with an account
 * id or a credit balance.
 *
 * <p>Thread-safe: it reads the skill and provider snapshots it is given on every call.
 */
public final class Router {

  /** Local work first, the cloud backends next, the simulator last. */
  public static final List<String> DEFAULT_PREFERENCE = List.of("local", "chatart", "lovart", "nemovideo", "libtv", "sim");
  /** Longest wait for a provider's estimate or account call while routing. */
  public static final long PROVIDER_CALL_TIMEOUT_MS = 3_000;
  /** The job id providers see in a routing estimate: no task exists yet. */
  static final String ESTIMATE_JOB_ID = "route";
  private static final int NEAREST = 3;

  private final Supplier<List<Skill>> skills;
  private final Function<String, Optional<Backend>> backends;
  private final List<String> preference;

  /**
   * @param skills     the loaded skills, in file order (the registry's snapshot)
   * @param providers  the live provider by id ({@code PluginHost::provider})
   * @param preference skill ids, most preferred first (config; {@link #DEFAULT_PREFERENCE} when null)
   */
  public Router(Supplier<List<Skill>> skills, Function<String, Optional<LiveProvider>> providers,
      List<String> preference) {
    this(preference, skills, id -> providers.apply(id).map(Backend::of));
  }

  private Router(List<String> preference, Supplier<List<Skill>> skills, Function<String, Optional<Backend>> backends) {
    this.skills = skills;
    this.backends = backends;
    this.preference = preference == null ? DEFAULT_PREFERENCE : List.copyOf(preference);
  }

  /** A router over providers as routing sees them; for tests. */
  static Router over(Supplier<List<Skill>> skills, Function<String, Optional<Backend>> backends, List<String> preference) {
    return new Router(preference, skills, backends);
  }

  public List<String> preference() {
    return preference;
  }

  /** Routes {@code request}. Never fails for a request; a failing provider call only makes the answer less certain. */
  public Future<RouteAnswer> route(RouteRequest request) {
    List<Skill> all = skills.get();
    Comparator<Skill> order = order(all);
    List<SkillMatcher.Match> routed = new ArrayList<>();
    List<SkillMatcher.Match> bounded = new ArrayList<>();
    for (Skill skill : all) {
      SkillMatcher.match(skill, request.forMatcher()).ifPresent(m -> (m.isUnsupported() ? bounded : routed).add(m));
    }
    bounded.sort(Comparator.comparing(SkillMatcher.Match::skill, order));
    if (routed.isEmpty() && bounded.isEmpty()) {
      return Future.succeededFuture(new RouteAnswer.NoMatch(request.locale(), Nearest.rank(all, request, order, NEAREST)));
    }
    if (routed.isEmpty()) {
      return Future.succeededFuture(boundary(bounded, request));
    }
    return Future.all(routed.stream().map(m -> readiness(m.skill())).toList()).compose(judged -> {
      List<Ranked> ranked = new ArrayList<>();
      for (int i = 0; i < routed.size(); i++) {
        ranked.add(new Ranked(routed.get(i), judged.resultAt(i)));
      }
      // A simulator is for trials: it wins only when no real skill can take the request, so that
      // "make a seedance video" on a fresh machine names the cloud skill and what it needs.
      ranked.sort(Comparator.comparing((Ranked r) -> simulated(r.match().skill()))
          .thenComparing(r -> !r.readiness().ready())
          .thenComparing(r -> r.match().skill(), order));
      Ranked winner = ranked.get(0);
      List<RouteAnswer.Candidate> candidates = new ArrayList<>();
      for (Ranked loser : ranked.subList(1, ranked.size())) {
        candidates.add(new RouteAnswer.Candidate(loser.match().skill().id(), loser.match().route().to(),
            whyLost(loser, winner)));
      }
      for (SkillMatcher.Match b : bounded) {
        candidates.add(new RouteAnswer.Candidate(b.skill().id(), null,
            "boundary: " + boundaryMessage(b, request).text()));
      }
      return routed(winner, request, candidates);
    });
  }

  private record Ranked(SkillMatcher.Match match, Readiness readiness) {}

  /** An estimate, or why there is none. */
  private record Priced(Estimate estimate, String missing) {}

  private Future<RouteAnswer> routed(Ranked winner, RouteRequest request, List<RouteAnswer.Candidate> candidates) {
    Skill skill = winner.match().skill();
    Route route = winner.match().route();
    SkillOperation op = skill.operation(route.to()).orElse(null);
    JsonObject params = op == null ? route.params() : op.withDefaults(route.params());
    String locale = Messages.pick(skill.locales(), request.locales());
    String messageLocale = skill.template("submitted")
        .flatMap(t -> Messages.resolve(t, skill.locales(), locale)).orElse(locale);
    RouteAnswer.Eta eta = eta(op, params, messageLocale);
    Map<String, Object> vars = new HashMap<>();
    vars.put("skill", skill.id());
    vars.put("operation", route.to());
    vars.put("model", params.getValue("model"));
    if (eta != null) {
      vars.put("eta", Messages.etaRange(eta.lowSeconds(), eta.highSeconds(), messageLocale));
      vars.put("eta_low", eta.lowSeconds());
      vars.put("eta_high", eta.highSeconds());
    }
    Localized.Rendered message = Messages.render(skill, "submitted", locale, vars).orElse(null);
    String answerLocale = message != null ? message.locale() : locale;
    return estimate(skill, op, params, locale, winner.readiness()).map(priced -> new RouteAnswer.Routed(
        skill, route.to(), params, eta, priced.estimate(), confirm(op, params, priced), winner.readiness(),
        message, answerLocale, request.locale(), candidates));
  }

  private RouteAnswer boundary(List<SkillMatcher.Match> bounded, RouteRequest request) {
    SkillMatcher.Match first = bounded.get(0);
    List<RouteAnswer.Candidate> others = bounded.subList(1, bounded.size()).stream()
        .map(b -> new RouteAnswer.Candidate(b.skill().id(), null,
            "boundary too; lower in preference order: " + boundaryMessage(b, request).text()))
        .toList();
    return new RouteAnswer.Boundary(first.skill(), boundaryMessage(first, request), request.locale(), others);
  }

  private Future<Readiness> readiness(Skill skill) {
    Skill.Requirements needs = skill.requires();
    Optional<Backend> backend = backends.apply(skill.provider());
    if (backend.isEmpty()) {
      return Future.succeededFuture(new Readiness(skill.provider(), false, needs.secrets(), needs.login(), null));
    }
    Backend b = backend.get();
    List<String> missing = needs.secrets().stream().filter(name -> b.secret(name).isEmpty()).toList();
    String problem = b.configProblem().orElse(null);
    if (!needs.login()) {
      return Future.succeededFuture(new Readiness(skill.provider(), true, missing, false, problem));
    }
    return b.account().timeout(PROVIDER_CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(Router::signedIn)
        .otherwise(false)
        // a signed-in account stands in for the secrets: they are the headless way to the same login
        .map(in -> new Readiness(skill.provider(), true, in ? List.of() : missing, !in, problem));
  }

  private static boolean signedIn(Account account) {
    return account != null && (account.id() != null || account.credits() != null);
  }

  private Future<Priced> estimate(Skill skill, SkillOperation op, JsonObject params, String locale,
      Readiness readiness) {
    Optional<Backend> backend = backends.apply(skill.provider());
    if (op == null || !readiness.ready() || backend.isEmpty()) {
      return Future.succeededFuture(new Priced(null, "no estimate: " + String.join("; ", readiness.reasons())));
    }
    Job job = new Job(ESTIMATE_JOB_ID, op.name(), params, List.of(), locale);
    return backend.get().estimate(job).timeout(PROVIDER_CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(e -> new Priced(e, e == null ? "the provider gave no estimate" : null))
        .otherwise(err -> new Priced(null, "estimate failed: " + err.getMessage()));
  }

  private static RouteAnswer.Confirm confirm(SkillOperation op, JsonObject params, Priced priced) {
    if (op == null || op.confirm() == null) {
      return RouteAnswer.Confirm.NEVER;
    }
    String source = op.confirm().source();
    return priced.estimate() == null
        ? new RouteAnswer.Confirm(null, source, priced.missing())
        : new RouteAnswer.Confirm(op.needsConfirmation(params, priced.estimate()), source, null);
  }

  private static RouteAnswer.Eta eta(SkillOperation op, JsonObject params, String locale) {
    if (op == null || op.eta() == null) {
      return null;
    }
    Object model = params.getValue("model");
    int[] range = op.eta().forModel(model instanceof String s ? s : null);
    return new RouteAnswer.Eta(range[0], range[1], Messages.eta(range[0], range[1], locale));
  }

  private boolean simulated(Skill skill) {
    return backends.apply(skill.provider()).map(Backend::simulated).orElse(false);
  }

  private String whyLost(Ranked loser, Ranked winner) {
    List<String> why = new ArrayList<>(loser.readiness().reasons());
    if (simulated(loser.match().skill()) && !simulated(winner.match().skill())) {
      why.add("simulated provider: used only when no real skill matches");
      return String.join("; ", why);
    }
    if (loser.readiness().ready() == winner.readiness().ready()) {
      why.add(rank(loser.match().skill()) != rank(winner.match().skill())
          ? "lower in preference order" : "later in file order");
    }
    return String.join("; ", why);
  }

  private static Localized.Rendered boundaryMessage(SkillMatcher.Match b, RouteRequest request) {
    Skill skill = b.skill();
    String locale = Messages.pick(skill.locales(), request.locales());
    return Messages.render(b.unsupported().message(), skill.locales(), locale, Map.of())
        .orElse(new Localized.Rendered("", locale));
  }

  private Comparator<Skill> order(List<Skill> all) {
    Map<String, Integer> fileOrder = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      fileOrder.putIfAbsent(all.get(i).id(), i);
    }
    return Comparator.comparingInt(this::rank).thenComparingInt(s -> fileOrder.getOrDefault(s.id(), Integer.MAX_VALUE));
  }

  private int rank(Skill skill) {
    int i = preference.indexOf(skill.id());
    return i < 0 ? preference.size() : i;
  }
}
