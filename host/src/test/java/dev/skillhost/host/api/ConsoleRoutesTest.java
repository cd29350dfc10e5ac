package dev.skillhost.host.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.HostTestBase;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console's files at {@code /} beside the API: the page with its security headers, the
 * vendored modules, the API's own 404 for unknown API paths, and signed links on task outputs.
 */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ConsoleRoutesTest extends HostTestBase {

  @Test
  void the_import_map_hash_in_the_policy_matches_index_html() throws Exception {
    String page;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("console/index.html")) {
      assertThat(in).as("console/index.html is in the jar's resources").isNotNull();
      page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher m = Pattern.compile("<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL).matcher(page);
    assertThat(m.find()).isTrue();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(m.group(1).getBytes(StandardCharsets.UTF_8));
    assertThat(ConsoleRoutes.IMPORT_MAP_SHA256).isEqualTo("sha256-" + Base64.getEncoder().encodeToString(digest));
  }

  @Test
  void serves_the_console_without_a_key_and_keeps_the_api_answers(VertxTestContext ctx) {
    Future.all(host.request(HttpMethod.GET, "/", null).send(),
            host.request(HttpMethod.GET, "/vendor/preact/preact.module.js", null).send(),
            host.request(HttpMethod.GET, "/v1/nothing-here", host.key).send(),
            host.request(HttpMethod.GET, "/v1/tasks", null).send(),
            host.request(HttpMethod.GET, "/no-such-file.js", null).send())
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          io.vertx.ext.web.client.HttpResponse<?> page = all.resultAt(0);
          assertThat(page.statusCode()).isEqualTo(200);
          assertThat(page.getHeader("Content-Type")).startsWith("text/html");
          assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'self'")
              .contains("frame-ancestors 'none'").contains(ConsoleRoutes.IMPORT_MAP_SHA256);
          assertThat(page.getHeader("Cache-Control")).isEqualTo("no-cache");
          assertThat(page.bodyAsString()).contains("<script type=\"module\" src=\"app.js\">");
          io.vertx.ext.web.client.HttpResponse<?> module = all.resultAt(1);
          assertThat(module.statusCode()).isEqualTo(200);
          assertThat(module.getHeader("Content-Type")).contains("javascript");
          io.vertx.ext.web.client.HttpResponse<?> unknownApi = all.resultAt(2);
          assertThat(unknownApi.statusCode()).isEqualTo(404);
          assertThat(unknownApi.getHeader("Content-Type")).isEqualTo("application/problem+json");
          assertThat(unknownApi.getHeader("Content-Security-Policy")).as("API answers are not console pages").isNull();
          io.vertx.ext.web.client.HttpResponse<?> noKey = all.resultAt(3);
          assertThat(noKey.statusCode()).isEqualTo(401);
          assertThat(((io.vertx.ext.web.client.HttpResponse<?>) all.resultAt(4)).statusCode()).isEqualTo(404);
          ctx.completeNow();
        })));
  }

  @Test
  void task_outputs_carry_a_signed_link_that_works_without_the_key(VertxTestContext ctx) {
    host.submit("text2image", new JsonObject().put("duration_ms", 0))
        .compose(id -> host.awaitState(id, "succeeded"))
        .compose(task -> {
          JsonObject out = task.getJsonArray("outputs").getJsonObject(0);
          assertThat(out.getString("link")).startsWith("/v1/files/" + out.getString("file") + "?exp=").contains("&sig=");
          return host.request(HttpMethod.GET, out.getString("link"), null).send();
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.getHeader("Content-Type")).startsWith("image/");
          ctx.completeNow();
        })));
  }
}
