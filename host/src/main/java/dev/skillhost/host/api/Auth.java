package dev.skillhost.host.api;

import io.vertx.ext.web.RoutingContext;

/** Bearer-key authentication for every route but health; puts the caller's owner id on the context. */
public final class Auth {

  private static final String OWNER = "skillhost.owner";

  private Auth() {}

  /** The authenticated caller of this request. Only valid behind {@link #handler(ApiKeys)}. */
  public static String owner(RoutingContext ctx) {
    String owner = ctx.get(OWNER);
    if (owner == null) {
      throw new IllegalStateException("route is not behind the auth handler");
    }
    return owner;
  }

  /** The key from an {@code Authorization: Bearer} header value, or null. */
  public static String bearer(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).strip();
  }

  /** Answers 401 unless the request carries a known key; puts the key's owner on the context. */
  public static io.vertx.core.Handler<RoutingContext> handler(ApiKeys keys) {
    return ctx -> keys.owner(bearer(ctx.request().getHeader("Authorization")))
        .ifPresentOrElse(owner -> {
          ctx.put(OWNER, owner);
          ctx.next();
        }, () -> ctx.fail(new ApiException(401, "unauthorized", "Unauthorized",
            "Send a valid API key as 'Authorization: Bearer <key>'; the host printed one on first start"
                + " and keeps it in its data directory (api-keys).")));
  }
}
