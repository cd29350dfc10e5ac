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
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device-style sign-in for providers whose skill {@code requires.login} (ChatArt):
 * {@code POST /v1/providers/{id}/login} starts one and answers the link with the skill's
 * {@code login} message; the host then looks at it on timers until the user has signed in, it
 * fails, or the link expires; {@code GET} shows where it is; {@code DELETE} signs out. The provider
 * stores the credentials; the host keeps only the sign-in in progress (one per provider, in memory:
 * a restart means asking for a new link, which costs nothing).
 */
final class LoginRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(LoginRoutes.class);
  private static final long CALL_TIMEOUT_S = 30;
  private static final Duration DEFAULT_POLL = Duration.ofSeconds(2);
  /** Consecutive failed looks (network, 5xx) before the sign-in is given up. */
  private static final int MAX_FAILURES = 10;

  private final Vertx vertx;
  private final PluginHost plugins;
  private final SkillRegistry skills;
  private final Map<String, Session> sessions = new HashMap<>();

  /** One sign-in: the provider's latest answer, and the timer of the next look. */
  private static final class Session {
    final String locale;
    Login login;
    JsonObject error;
    long timer = -1;
    int failures;

    Session(Login login, String locale) {
      this.login = login;
      this.locale = locale;
    }
  }

  LoginRoutes(Vertx vertx, PluginHost plugins, SkillRegistry skills) {
    this.vertx = vertx;
    this.plugins = plugins;
    this.skills = skills;
  }

  void mount(Router router) {
    router.post("/v1/providers/:id/login").handler(this::start);
    router.get("/v1/providers/:id/login").handler(this::show);
    router.delete("/v1/providers/:id/login").handler(this::logout);
  }

  private void start(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    LiveProvider live = live(id);
    JsonObject body = ctx.body().isEmpty() ? new JsonObject() : Json.object(ctx);
    String locale = body.getString("locale", Messages.acceptLanguage(ctx.request().getHeader("Accept-Language"))
        .stream().findFirst().orElse(Messages.DEFAULT_LOCALE));
    live.call(p -> p.login(body, live.context())).timeout(CALL_TIMEOUT_S, TimeUnit.SECONDS).onComplete(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof ProviderException pe && "unsupported".equals(pe.code())) {
          ctx.fail(new ApiException(404, "login-not-supported", "No sign-in flow",
              "Provider '" + id + "' has no sign-in flow; it is configured with credentials (see GET /v1/skills)."));
          return;
        }
        ctx.fail(new ApiException(502, "login-failed", "The sign-in could not start",
            Errors.of(ar.cause(), skill(id).orElse(null), locale).getString("message")));
        return;
      }
      Session old = sessions.remove(id);
      if (old != null) {
        vertx.cancelTimer(old.timer);
      }
      Session s = new Session(ar.result(), locale);
      sessions.put(id, s);
      if (!s.login.terminal()) {
        next(id, s);
      }
      ctx.response().setStatusCode(s.login.state() == Login.State.PENDING ? 202 : 200);
      ctx.json(json(id, s));
    });
  }

  private void show(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    live(id);
    Session s = sessions.get(id);
    if (s == null) {
      throw ApiException.notFound("No sign-in to provider '" + id + "' was started since the host started;"
          + " POST /v1/providers/" + id + "/login starts one.");
    }
    ctx.json(json(id, s));
  }

  private void logout(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    LiveProvider live = live(id);
    Session s = sessions.remove(id);
    if (s != null) {
      vertx.cancelTimer(s.timer);
    }
    live.call(p -> p.logout(live.context())).timeout(CALL_TIMEOUT_S, TimeUnit.SECONDS).onComplete(ar -> {
      if (ar.failed() && ar.cause() instanceof ProviderException pe && "unsupported".equals(pe.code())) {
        ctx.fail(new ApiException(404, "login-not-supported", "No sign-in flow", "Provider '" + id + "' has no sign-in flow."));
      } else if (ar.failed()) {
        ctx.fail(new ApiException(502, "logout-failed", "The sign-out failed", String.valueOf(ar.cause().getMessage())));
      } else {
        ctx.response().setStatusCode(204).end();
      }
    });
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
  }

  private JsonObject json(String id, Session s) {
    Login l = s.login;
    JsonObject json = new JsonObject().put("provider", id).put("state", l.state().name().toLowerCase(java.util.Locale.ROOT));
    if (l.state() == Login.State.PENDING) {
      json.put("url", l.url()).put("code", l.code())
          .put("expires_at", l.expiresAt() == null ? null : l.expiresAt().toString());
      Map<String, Object> vars = new HashMap<>();
      vars.put("url", l.url());
      vars.put("code", l.code() == null ? "" : l.code());
      skill(id).flatMap(skill -> Messages.render(skill, "login", s.locale, vars)).ifPresentOrElse(
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
