package dev.skillhost.host.api;

import dev.skillhost.api.Login;
import dev.skillhost.host.skills.Messages;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /v1/providers/{id}/login}: POST starts a device-style sign-in and answers the link with
 * the skill's {@code login} message (202 while pending), GET shows where it is, DELETE signs out.
 * The sign-ins themselves are {@link Logins}'.
 */
final class LoginRoutes {

  private final Logins logins;

  LoginRoutes(Logins logins) {
    this.logins = logins;
  }

  void mount(Router router) {
    router.post("/v1/providers/:id/login").handler(this::start);
    router.get("/v1/providers/:id/login").handler(this::show);
    router.delete("/v1/providers/:id/login").handler(this::logout);
  }

  private void start(RoutingContext ctx) {
    JsonObject body = ctx.body().isEmpty() ? new JsonObject() : Json.object(ctx);
    String locale = body.getString("locale", Messages.acceptLanguage(ctx.request().getHeader("Accept-Language"))
        .stream().findFirst().orElse(Messages.DEFAULT_LOCALE));
    logins.start(ctx.pathParam("id"), body, locale).onSuccess(json -> {
      ctx.response().setStatusCode(Login.State.PENDING.name().equalsIgnoreCase(json.getString("state")) ? 202 : 200);
      ctx.json(json);
    }).onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    ctx.json(logins.show(id).orElseThrow(() -> ApiException.notFound("No sign-in to provider '" + id
        + "' was started since the host started; POST /v1/providers/" + id + "/login starts one.")));
  }

  private void logout(RoutingContext ctx) {
    logins.logout(ctx.pathParam("id")).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }
}
