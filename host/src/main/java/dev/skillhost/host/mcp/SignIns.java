package dev.skillhost.host.mcp;

import dev.skillhost.api.Login;
import dev.skillhost.host.api.Logins;
import dev.skillhost.host.skills.Readiness;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * When the skill a request routes to needs a sign-in first (ChatArt's device login): where the
 * client takes URL-mode elicitation (2025-11-25), the user is sent to the link and the call goes
 * on once they have signed in; otherwise the answer is the skill's login message with the link.
 */
final class SignIns {

  /** How long a call waits for the user to finish signing in. */
  static final long WAIT_MS = 10 * 60_000;

  private final Logins logins;

  SignIns(Logins logins) {
    this.logins = logins;
  }

  /**
   * Whether a skill this ready would be made ready by a sign-in (its secrets, if
   * listed as missing, are what the sign-in stands in for).
   */
  static boolean needsSignIn(Readiness r) {
    return !r.ready() && r.login() && r.loaded() && r.problem() == null;
  }

  /**
   * Signs the user in to {@code provider} through the client. Succeeds once signed in; fails with
   * {@link NotSignedIn} carrying what to tell the user when that did not happen.
   */
  Future<Void> signIn(Exchange ex, String provider, String locale) {
    return logins.start(provider, new JsonObject(), locale).compose(view -> {
      String message = view.getString("message");
      if (!"pending".equals(view.getString("state"))) {
        return "signed_in".equals(view.getString("state")) ? Future.succeededFuture()
            : Future.failedFuture(new NotSignedIn(message));
      }
      if (!ex.session.elicitsUrl() || !ex.canStream()) {
        return Future.failedFuture(new NotSignedIn(message + " Then ask again."));
      }
      String elicitation = UUID.randomUUID().toString();
      return ex.ask("elicitation/create", new JsonObject().put("mode", "url").put("elicitationId", elicitation)
              .put("url", view.getString("url")).put("message", message))
          .compose(answer -> {
            if (!"accept".equals(answer.getString("action"))) {
              return Future.failedFuture(new NotSignedIn("The sign-in was not done. " + message));
            }
            return logins.ended(provider).timeout(WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
                .recover(e -> Future.failedFuture(new NotSignedIn("The sign-in did not finish in time. " + message)))
                .compose(login -> {
                  // on the call's own stream, which the client is reading while it waits
                  ex.notifyClient("notifications/elicitation/complete", new JsonObject().put("elicitationId", elicitation));
                  return login.state() == Login.State.SIGNED_IN ? Future.<Void>succeededFuture()
                      : Future.failedFuture(new NotSignedIn("The sign-in failed"
                          + (login.error() == null ? "." : ": " + login.error().getMessage() + ".") + " Ask again for a new link."));
                });
          });
    });
  }

  /** No sign-in happened; the message says what the user should do. */
  static final class NotSignedIn extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotSignedIn(String message) {
      super(message, null, false, false);
    }
  }
}
