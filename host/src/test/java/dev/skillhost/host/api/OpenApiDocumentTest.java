package dev.skillhost.host.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.ApiContract;
import dev.skillhost.host.testing.HostTestBase;
import dev.skillhost.host.testing.PluginJarBuilder;
import dev.skillhost.host.testing.SignerPlugin;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import io.vertx.openapi.contract.Operation;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API document at {@code /v1/openapi.json} against the host itself: every route of the
 * router is in it and every path in it has a route, and every operation's real answers (success
 * and problem+json) are ones it allows, as vertx-openapi's ResponseValidator judges them
 * ({@link ApiExchanges} makes the calls).
 */
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class OpenApiDocumentTest extends HostTestBase {

  private ApiContract api;

  @BeforeEach
  void loadDocument(VertxTestContext ctx) {
    host.vertx.executeBlocking(() -> PluginJarBuilder.create("signer", "1.0.0")
            .withClass("dev.skillhost.testplugin.Signer", SignerPlugin.SOURCE)
            .withExtensionIndex("dev.skillhost.testplugin.Signer")
            .deploy(host.pluginsDir, "signer.jar"))
        .compose(jar -> host.request(HttpMethod.GET, OpenApiRoutes.PATH, null).send())
        .compose(r -> {
          ctx.verify(() -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.getHeader("Content-Type")).isEqualTo("application/json");
          });
          return ApiContract.of(host.vertx, r.bodyAsJsonObject());
        })
        .onComplete(ctx.succeeding(c -> {
          api = c;
          ctx.completeNow();
        }));
  }

  @Test
  void every_route_of_the_router_is_in_the_document_and_every_documented_operation_has_a_route(VertxTestContext ctx) {
    Set<String> routed = new TreeSet<>();
    walk(host.host().apiRouter(), "", routed);
    Set<String> documented = new TreeSet<>();
    for (Operation op : api.contract().operations()) {
      documented.add(op.getHttpMethod() + " " + op.getOpenAPIPath());
    }
    ctx.verify(() -> {
      assertThat(routed).as("routes of the router").hasSizeGreaterThanOrEqualTo(30);
      assertThat(documented).as("operations missing from the document").containsAll(routed);
      assertThat(routed).as("documented operations no route serves").containsAll(documented);
      ctx.completeNow();
    });
  }

  @Test
  void every_documented_operation_answers_only_what_the_document_allows(VertxTestContext ctx) {
    ApiExchanges calls = new ApiExchanges(host, api);
    calls.all().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(calls.failures()).as("answers the document does not allow").isEmpty();
      Set<String> operations = new TreeSet<>();
      api.contract().operations().forEach(op -> operations.add(op.getOperationId()));
      assertThat(api.validated().keySet()).as("operations with a validated answer").containsExactlyElementsOf(operations);
      long problems = api.validated().values().stream().flatMap(m -> m.keySet().stream()).filter(s -> s >= 400).count();
      assertThat(problems).as("operation × error status pairs validated").isGreaterThanOrEqualTo(40);
      System.out.println("[openapi] validated " + api.total() + " answers (" + api.events() + " of them SSE events or"
          + " WebSocket frames) over " + api.validated().size() + " operations: " + api.validated());
      ctx.completeNow();
    })));
  }

  @Test
  void the_check_refuses_answers_the_document_does_not_allow(VertxTestContext ctx) {
    MultiMap json = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
    MultiMap problem = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/problem+json");
    Buffer task = new JsonObject().put("id", "t_1").put("state", "queued").toBuffer(); // most fields missing
    Buffer notProblem = new JsonObject().put("error", "nope").toBuffer();
    Future<Void> wrongBody = api.check(HttpMethod.GET, "/v1/tasks/t_1", new ApiContract.Answer(200, json, task));
    Future<Void> wrongStatus = api.check(HttpMethod.GET, "/v1/tasks/t_1", new ApiContract.Answer(418, problem, notProblem));
    Future<Void> wrongProblem = api.check(HttpMethod.GET, "/v1/tasks/t_1", new ApiContract.Answer(404, problem, notProblem));
    Future<Void> wrongType = api.check(HttpMethod.GET, "/v1/tasks/t_1", new ApiContract.Answer(404, json,
        new JsonObject().put("type", "/problems/x").put("title", "x").put("status", 404).put("detail", "x").toBuffer()));
    Future<Void> missingHeader = api.check(HttpMethod.POST, "/v1/tasks", new ApiContract.Answer(401, problem,
        new JsonObject().put("type", "/problems/x").put("title", "x").put("status", 401).put("detail", "x").toBuffer()));
    Future.join(wrongBody, wrongStatus, wrongProblem, wrongType, missingHeader).onComplete(ar -> ctx.verify(() -> {
      assertThat(wrongBody.failed()).as("a task without its fields").isTrue();
      assertThat(wrongStatus.failed()).as("an undocumented status").isTrue();
      assertThat(wrongProblem.failed()).as("a problem without type, title, status, detail").isTrue();
      assertThat(wrongType.cause()).as("a problem sent as plain JSON").hasMessageContaining("Content-Type application/json");
      assertThat(missingHeader.cause()).as("a 401 without WWW-Authenticate").hasMessageContaining("www-authenticate");
      ctx.completeNow();
    }));
  }

  /** Every path+method the router (and its sub-routers) serves, in the document's form; all-method routes are middleware. */
  private static void walk(Router router, String prefix, Set<String> out) {
    for (Route route : router.getRoutes()) {
      if (route.getPath() == null) {
        // a catch-all (failure handler, auth); a pure regex route cannot be named in the document, so none may serve
        if (route.isRegexPath() && route.methods() != null && !route.methods().isEmpty()) {
          throw new AssertionError("a regex route (" + route.getName() + ") the document cannot name");
        }
        continue;
      }
      String path = prefix + route.getPath();
      if (route.getSubRouter() != null) {
        walk(route.getSubRouter(), path.endsWith("/") ? path.substring(0, path.length() - 1) : path, out);
        continue;
      }
      if (route.methods() == null || route.methods().isEmpty()) {
        continue;
      }
      String documented = path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      if (documented.length() > 1 && documented.endsWith("/")) {
        // a prefix route ("/*"): documented by its root
        documented = documented.substring(0, documented.length() - 1);
      }
      for (HttpMethod m : route.methods()) {
        out.add(m + " " + documented);
      }
    }
  }
}
