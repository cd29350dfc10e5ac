package dev.skillhost.nemovideo;

import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.UUID;

/**
 * The bearer token. {@code NEMO_TOKEN} when set; else an anonymous token from
 * {@code POST /api/auth/anonymous-token} with a client id that never changes (NEMO_CLIENT_ID, else
 * a UUID kept in the data directory), because the backend allows one anonymous token per client
 * per 7 days and ten per IP: a new id per start would exhaust them. The token is kept too
 * (owner-only), so a restart does not ask again; on 1001 it is dropped and asked for again with
 * the same client id, as the docs say.
 */
final class NemoAuth {

  private static final String CLIENT_FILE = "client_id";
  private static final String TOKEN_FILE = "token.json";

  private final WebClient web;
  private Future<String> current;

  NemoAuth(WebClient web) {
    this.web = web;
  }

  /** The token to use now (one request for a token at a time, shared by every caller). */
  synchronized Future<String> token(ProviderContext ctx, NemoConfig cfg) {
    if (cfg.token() != null) {
      return Future.succeededFuture(cfg.token());
    }
    if (current == null || current.failed()) {
      current = stored(ctx).compose(t -> t != null ? Future.succeededFuture(t) : acquire(ctx, cfg));
    }
    return current;
  }

  /** True when a 1001 on {@code token} can be cured by a new anonymous token. */
  boolean renewable(NemoConfig cfg) {
    return cfg.token() == null;
  }

  /** Forgets {@code token} (the backend said 1001) unless another caller already replaced it. */
  synchronized Future<Void> invalidate(ProviderContext ctx, String token) {
    if (current != null && current.succeeded() && token.equals(current.result())) {
      current = null;
      return files(ctx).delete(TOKEN_FILE);
    }
    return Future.succeededFuture();
  }

  /** The persisted client id, made once: hosts sharing the data directory all use the first one made. */
  Future<String> clientId(ProviderContext ctx, NemoConfig cfg) {
    if (cfg.clientId() != null) {
      return Future.succeededFuture(cfg.clientId());
    }
    return files(ctx).once(CLIENT_FILE, UUID.randomUUID().toString());
  }

  private Future<String> acquire(ProviderContext ctx, NemoConfig cfg) {
    return clientId(ctx, cfg).compose(clientId -> web.postAbs(cfg.apiUrl() + "/api/auth/anonymous-token")
        .putHeader("X-Client-Id", clientId)
        .timeout(cfg.callTimeout().toMillis())
        .send()
        .recover(e -> Future.failedFuture(NemoApi.transport(e)))
        .map(NemoApi::unwrap)
        .compose(data -> {
          String token = data.getString("token");
          if (token == null) {
            return Future.failedFuture(new ProviderException("no_token", 200, "the anonymous-token answer had no token"));
          }
          JsonObject saved = new JsonObject().put("token", token).put("client_id", clientId)
              .put("expires_at", data.getString("expires_at"));
          return files(ctx).replace(TOKEN_FILE, saved.encode()).map(token);
        }));
  }

  private Future<String> stored(ProviderContext ctx) {
    return files(ctx).read(TOKEN_FILE).map(text -> {
      try {
        return text == null ? null : new JsonObject(text).getString("token");
      } catch (RuntimeException e) {
        return null;
      }
    });
  }

  private static DataFiles files(ProviderContext ctx) {
    return new DataFiles(ctx.vertx().fileSystem(), ctx.dataDir());
  }
}
