package dev.skillhost.host.api;

import dev.skillhost.api.Login;
import dev.skillhost.api.ProviderException;
import dev.skillhost.host.plugins.LiveProvider;
import dev.skillhost.host.plugins.PluginHost;
import dev.skillhost.host.skills.Messages;
import dev.skillhost.host.skills.Skill;
import dev.skillhost.host.skills.SkillRegistry;
import dev.skillhost.host.tasks.Errors;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device-style sign-ins to providers whose skill {@code requires.login} (ChatArt), for the HTTP
 * API and MCP alike: {@link #start} asks the provider for a link, then the host looks at it on
 * timers until the user has signed in, it fails, or the link expires. The provider stores the
 * credentials; the host keeps only the sign-in in progress (one per provider, in memory: a restart
 * means asking for a new link, which costs nothing). Call on one event loop (the API verticle's).
 */
public final class Logins {

  private static final Logger LOG = LoggerFactory.getLogger(Logins.class);
  private static final long CALL_TIMEOUT_S = 30;
  private static final Duration DEFAULT_POLL = Duration.ofSeconds(2);
  /** Consecutive failed looks (network, 5xx) before the sign-in is given up. */
  private static final int MAX_FAILURES = 10;

  private final Vertx vertx;
  private final PluginHost plugins;
  private final SkillRegistry skills;
  private final Map<String, Session> sessions = new HashMap<>();

  /** One sign-in: the provider's latest answer, the timer of the next look, and who waits for its end. */
  private static final class Session {
    final String locale;
    final Promise<Login> ended = Promise.promise();
    Login login;
    JsonObject error;
    long timer = -1;
    int failures;

    Session(Login login, String locale) {
      this.login = login;
      this.locale = locale;
    }
  }

  public Logins(Vertx vertx, PluginHost plugins, SkillRegistry skills) {
    this.vertx = vertx;
    this.plugins = plugins;
    this.skills = skills;
  }

  /**
   * Starts a sign-in (replacing one in progress) and answers it as {@code POST …/login} shows it:
   * {@code provider, state, url, code, expires_at, message} (the skill's login message).
   */
  public Future<JsonObject> start(String id, JsonObject body, String locale) {
    LiveProvider live = live(id);
    return live.call(p -> p.login(body, live.context())).timeout(CALL_TIMEOUT_S, TimeUnit.SECONDS)
        .recover(e -> Future.failedFuture(e instanceof ProviderException pe && "unsupported".equals(pe.code())
            ? new ApiException(404, "login-not-supported", "No sign-in flow",
                "Provider '" + id + "' has no sign-in flow; it is configured with credentials (see GET /v1/skills).")
            : new ApiException(502, "login-failed", "The sign-in could not start",
                Errors.of(e, skill(id).orElse(null), locale).getString("message"))))
        .map(login -> {
          Session old = sessions.remove(id);
          if (old != null) {
            vertx.cancelTimer(old.timer);
            old.ended.tryFail("replaced by a new sign-in");
          }
          Session s = new Session(login, locale);
          sessions.put(id, s);
          if (s.login.terminal()) {
            s.ended.tryComplete(s.login);
          } else {
            next(id, s);
          }
          return json(id, s);
        });
  }

  /** The sign-in to {@code id} started since the host started, as {@link #start} answers it. */
  public Optional<JsonObject> show(String id) {
    live(id);
    return Optional.ofNullable(sessions.get(id)).map(s -> json(id, s));
  }

  /** Completes with the outcome (signed in or failed) of the sign-in in progress to {@code id}. */
  public Future<Login> ended(String id) {
    Session s = sessions.get(id);
    return s == null ? Future.failedFuture("no sign-in to " + id + " is in progress") : s.ended.future();
  }

  /** Signs out: forgets the sign-in in progress and asks the provider to drop its credentials. */
  public Future<Void> logout(String id) {
    LiveProvider live = live(id);
    Session s = sessions.remove(id);
    if (s != null) {
      vertx.cancelTimer(s.timer);
      s.ended.tryFail("signed out");
    }
    return live.call(p -> p.logout(live.context())).timeout(CALL_TIMEOUT_S, TimeUnit.SECONDS)
        .recover(e -> Future.failedFuture(e instanceof ProviderException pe && "unsupported".equals(pe.code())
            ? new ApiException(404, "login-not-supported", "No sign-in flow", "Provider '" + id + "' has no sign-in flow.")
            : new ApiException(502, "logout-failed", "The sign-out failed", String.valueOf(e.getMessage()))));
  }

  /** Schedules the next look at a pending sign-in. */
  private void next(String id, Session s) {
    Duration wait = s.login.pollIn() == null ? DEFAULT_POLL : s.login.pollIn();
    s.timer = vertx.setTimer(Math.max(1, wait.toMillis()), t -> look(id, s));
  }

  private void look(String id, Session s) {
    if (sessions.get(id) != s) {
      return;
    }
    Instant expires = s.login.expiresAt();
    if (expires != null && Instant.now().isAfter(expires)) {
      finish(id, s, Login.failed(new ProviderException("login_expired", 410, "the sign-in link expired")));
      return;
    }
    Optional<LiveProvider> live = plugins.provider(id);
    if (live.isEmpty()) {
      next(id, s); // being replaced: look again once it is back
      return;
    }
    LiveProvider p = live.get();
    p.call(pr -> pr.loginPoll(s.login, p.context())).timeout(CALL_TIMEOUT_S, TimeUnit.SECONDS).onComplete(ar -> {
      if (sessions.get(id) != s) {
        return;
      }
      if (ar.failed()) {
        if (++s.failures > MAX_FAILURES) {
          finish(id, s, Login.failed(ar.cause() instanceof ProviderException pe ? pe
              : new ProviderException("login_failed", 0, String.valueOf(ar.cause().getMessage()))));
        } else {
          LOG.debug("sign-in look at {} failed ({}): {}", id, s.failures, ar.cause().toString());
          next(id, s);
        }
        return;
      }
      s.failures = 0;
      Login login = ar.result();
      if (login.terminal()) {
        finish(id, s, login);
      } else {
        s.login = login.url() == null ? new Login(login.state(), s.login.url(), s.login.code(), s.login.expiresAt(),
            login.pollIn(), login.data(), null, null) : login;
        next(id, s);
      }
    });
  }

  private void finish(String id, Session s, Login outcome) {
    s.login = outcome;
    if (outcome.error() != null) {
      s.error = Errors.of(outcome.error(), skill(id).orElse(null), s.locale);
    }
    LOG.info("sign-in to {}: {}", id, outcome.state());
    s.ended.tryComplete(outcome);
  }

  private JsonObject json(String id, Session s) {
    Login l = s.login;
    JsonObject json = new JsonObject().put("provider", id).put("state", l.state().name().toLowerCase(java.util.Locale.ROOT));
    if (l.state() == Login.State.PENDING) {
      json.put("url", l.url()).put("code", l.code())
          .put("expires_at", l.expiresAt() == null ? null : l.expiresAt().toString());
      skill(id).flatMap(skill -> Messages.render(skill, "login", s.locale, Messages.loginVariables(skill, l.url(), l.code())))
          .ifPresentOrElse(
          m -> json.put("message", m.text()).put("locale", m.locale()),
          () -> json.put("message", "Open " + l.url() + " to sign in."));
    }
    if (l.account() != null) {
      json.put("account", l.account());
    }
    if (s.error != null) {
      json.put("error", s.error);
    }
    return json;
  }

  private LiveProvider live(String id) {
    return plugins.provider(id).orElseThrow(() -> ApiException.notFound("Provider '" + id + "' is not loaded."));
  }

  /** The skill whose sign-in message applies: one served by this provider that requires a login first. */
  private Optional<Skill> skill(String id) {
    return skills.skills().stream().filter(s -> s.provider().equals(id))
        .sorted((a, b) -> Boolean.compare(b.requires().login(), a.requires().login())).findFirst();
  }
}
