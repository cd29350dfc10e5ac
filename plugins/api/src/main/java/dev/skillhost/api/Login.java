package dev.skillhost.api;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * One device-style sign-in, as a provider reports it: the link the user opens, then, looked at
 * again and again by the host, whether the user signed in. The provider stores the credentials it
 * gets (in its data directory, owner-only); the host only relays the link and the outcome.
 *
 * @param state     where the sign-in is
 * @param url       the link the user opens to sign in (while {@link State#PENDING})
 * @param code      a code the user may be asked to confirm, else null
 * @param expiresAt when the link stops working, else null
 * @param pollIn    how long to wait before the next look, else null (the host picks)
 * @param data      what the provider needs to look again (device code, token endpoint, …)
 * @param account   the signed-in account, once {@link State#SIGNED_IN}
 * @param error     why it failed, once {@link State#FAILED}; its code is looked up in the
 *                  skill's error map like any provider error
 */
public record Login(
    State state,
    String url,
    String code,
    Instant expiresAt,
    Duration pollIn,
    JsonObject data,
    String account,
    ProviderException error) {

  public enum State { PENDING, SIGNED_IN, FAILED }

  public Login {
    data = data == null ? new JsonObject() : data.copy();
  }

  public static Login pending(String url, Instant expiresAt, Duration pollIn, JsonObject data) {
    return new Login(State.PENDING, url, null, expiresAt, pollIn, data, null, null);
  }

  public static Login signedIn(String account) {
    return new Login(State.SIGNED_IN, null, null, null, null, null, account, null);
  }

  public static Login failed(ProviderException error) {
    return new Login(State.FAILED, null, null, null, null, null, null, error);
  }

  public boolean terminal() {
    return state != State.PENDING;
  }
}
