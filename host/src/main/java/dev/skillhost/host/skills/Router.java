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
 * best route, scored by the words its keywords cover and by whether the operation takes what was
 * attached). Across skills intent comes first: the best fit wins, and only among equal fits does
 * readiness count (a provider loaded and ready: every {@code requires.secrets} set, and for
 * {@code requires.login} an account call that names a signed-in account), then the preference
 * order, then the skill list (file order). So a ready skill that would do the wrong job never
 * beats the right one that needs a sign-in: the answer names that one, with what it needs. When
 * equal fits are different jobs (different {@code intent}s), the answer is a question for the user
 * ({@link RouteAnswer.Unclear}). Every other matching skill is listed with why it lost. When no
 * skill routes but a boundary matched, the boundary answers. When nothing matches, the answer
 * lists the nearest routes ({@link Nearest}). Parameters the words say ({@link WordParams}) go
 * over the operation's defaults, the route's own parameters over them.
 *
 * <p>The winner's provider, if ready, is asked for an estimate (spends nothing) so that the
 * operation's confirm condition can be judged; without one, whether confirmation is needed is
 * unknown and the answer says so (unless the condition never reads the estimate). Login state is judged simply: the skill needs a login unless
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
      List<RouteAnswer.Closest> closest = Nearest.rank(all, request, order, NEAREST);
      return Future.succeededFuture(new RouteAnswer.NoMatch(request.locale(), closest, question(all, closest, request)));
    }
    if (routed.isEmpty()) {
      return Future.succeededFuture(boundary(bounded, request));
    }
    return Future.all(routed.stream().map(m -> readiness(m.skill())).toList()).compose(judged -> {
      List<Ranked> ranked = new ArrayList<>();
      for (int i = 0; i < routed.size(); i++) {
        ranked.add(new Ranked(routed.get(i), judged.resultAt(i)));
      }
      // Intent first: how well the request fits. Among equal fits, a simulator only when no real
      // skill can take the request (so that "make a seedance video" on a fresh machine names the
      // cloud skill and what it needs), then readiness, then preference and file order.
      ranked.sort(Comparator.comparingDouble((Ranked r) -> -r.fit().score())
          .thenComparing(r -> simulated(r.match().skill()))
          .thenComparing(r -> !r.readiness().ready())
          .thenComparing(r -> r.match().skill(), order));
      Ranked winner = ranked.get(0);
      List<Ranked> rivals = rivals(ranked);
      List<RouteAnswer.Candidate> candidates = new ArrayList<>();
      for (Ranked loser : ranked.subList(1, ranked.size())) {
        candidates.add(new RouteAnswer.Candidate(loser.match().skill().id(), loser.match().route().to(),
            whyLost(loser, winner)));
      }
      for (SkillMatcher.Match b : bounded) {
        candidates.add(new RouteAnswer.Candidate(b.skill().id(), null,
            "boundary: " + boundaryMessage(b, request).text()));
      }
      if (rivals.size() > 1) {
        return Future.succeededFuture(unclear(rivals, request, candidates));
      }
      return routed(winner, request, candidates);
    });
  }

  /**
   * The best candidate of each different intent that fits exactly as well as the winner, winner
   * first; one entry when the winner is clearly best. Ties inside one skill never get here (the
   * skill's own route order settled them), and a simulator is never a rival of a real skill.
   */
  private List<Ranked> rivals(List<Ranked> ranked) {
    Ranked winner = ranked.get(0);
    List<Ranked> out = new ArrayList<>(List.of(winner));
    for (Ranked r : ranked.subList(1, ranked.size())) {
      if (r.fit().score() < winner.fit().score() || simulated(r.match().skill()) != simulated(winner.match().skill())) {
        break;
      }
      if (out.stream().noneMatch(o -> intent(o).overlaps(intent(r)))) {
        out.add(r);
      }
    }
    return out;
  }

  private static SkillOperation.Intent intent(Ranked r) {
    String op = r.match().route().to();
    return r.match().skill().operation(op).map(SkillOperation::intent).orElse(SkillOperation.Intent.of(op));
  }

  /** Two or more different jobs fit equally: the assistant should ask, naming each. */
  private RouteAnswer unclear(List<Ranked> rivals, RouteRequest request, List<RouteAnswer.Candidate> candidates) {
    String locale = Messages.pick(List.of("en", "zh"), request.locales());
    List<RouteAnswer.Option> options = new ArrayList<>();
    for (Ranked r : rivals) {
      Skill skill = r.match().skill();
      String op = r.match().route().to();
      String title = skill.operation(op).map(o -> title(o, skill, locale)).orElse(op);
      options.add(new RouteAnswer.Option(skill.id(), op, intent(r).names().get(0), title, r.fit().explain(), r.readiness()));
    }
    String question = ask(options.stream().map(RouteAnswer.Option::title).toList(), locale);
    return new RouteAnswer.Unclear(question, locale, request.locale(), options, candidates);
  }

  /**
   * For a request nothing matched: a question naming the closest different jobs, so the assistant
   * asks rather than guesses; null when nothing came near.
   */
  private static String question(List<Skill> all, List<RouteAnswer.Closest> closest, RouteRequest request) {
    String locale = Messages.pick(List.of("en", "zh"), request.locales());
    List<String> titles = new ArrayList<>();
    for (RouteAnswer.Closest c : closest) {
      all.stream().filter(s -> s.id().equals(c.skill())).findFirst()
          .flatMap(s -> s.operation(c.operation()).map(op -> title(op, s, locale)))
          .filter(t -> !titles.contains(t)).ifPresent(titles::add);
    }
    if (titles.isEmpty()) {
      return null;
    }
    return ask(titles, locale);
  }

  private static String ask(List<String> titles, String locale) {
    if (titles.size() == 1) {
      return locale.startsWith("zh") ? "你是想" + titles.get(0) + "吗?" : "Do you want to " + titles.get(0) + "?";
    }
    return locale.startsWith("zh")
        ? "你想要" + String.join(",还是", titles) + "?"
        : "Do you want to " + String.join(", or ", titles) + "?";
  }

  private static String title(SkillOperation op, Skill skill, String locale) {
    if (op.intent().title() != null) {
      Optional<Localized.Rendered> t = Messages.render(op.intent().title(), skill.locales(), locale, Map.of());
      if (t.isPresent() && !t.get().text().isBlank()) {
        return t.get().text();
      }
    }
    String d = op.description().isBlank() ? op.name() : op.description();
    String first = d.split("[.—(]")[0].strip();
    return first.isEmpty() ? op.name() : Character.toLowerCase(first.charAt(0)) + first.substring(1);
  }

  private record Ranked(SkillMatcher.Match match, Readiness readiness) {
    SkillMatcher.Fit fit() {
      return match.fit();
    }
  }

  /** An estimate, or why there is none. */
  private record Priced(Estimate estimate, String missing) {}

  private Future<RouteAnswer> routed(Ranked winner, RouteRequest request, List<RouteAnswer.Candidate> candidates) {
    Skill skill = winner.match().skill();
    Route route = winner.match().route();
    SkillOperation op = skill.operation(route.to()).orElse(null);
    // what the words say, over the defaults; the route's own parameters over both
    WordParams.Reading words = op == null ? WordParams.Reading.NONE
        : WordParams.standard().read(request.text(), op, op.intent().words());
    JsonObject params = op == null ? route.params() : op.withDefaults(words.params().mergeIn(route.params()));
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
        message, answerLocale, request.locale(), candidates, winner.fit(), words));
  }

  private RouteAnswer boundary(List<SkillMatcher.Match> bounded, RouteRequest request) {
    SkillMatcher.Match first = bounded.get(0);
    List<RouteAnswer.Candidate> others = bounded.subList(1, bounded.size()).stream()
        .map(b -> new RouteAnswer.Candidate(b.skill().id(), null,
            "boundary too; lower in preference order: " + boundaryMessage(b, request).text()))
        .toList();
    return new RouteAnswer.Boundary(first.skill(), boundaryMessage(first, request), request.locale(), others);
  }

  /** What {@code skill} still needs before it can run (the MCP server signs the user in when that is a login). */
  public Future<Readiness> readiness(Skill skill) {
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
    // a rule that never reads the estimate (ChatArt's "true": every spend) is judged without one
    boolean readsEstimate = source.contains("estimate");
    return priced.estimate() == null && readsEstimate
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
    if (loser.fit().score() < winner.fit().score()) {
      return "weaker match: " + loser.fit().explain() + " against " + winner.fit().explain()
          + (loser.readiness().ready() ? "" : "; also " + String.join("; ", loser.readiness().reasons()));
    }
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
