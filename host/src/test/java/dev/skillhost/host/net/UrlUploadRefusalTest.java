package dev.skillhost.host.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.HostTestBase;
import dev.skillhost.host.testing.Problems;
import dev.skillhost.host.testing.TestCdn;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SSRF attempts through {@code POST /v1/uploads {"url"}} on a host with no allowances (as in
 * production): each is refused before any byte is fetched, with a problem that says why.
 */
class UrlUploadRefusalTest extends HostTestBase {

  private Future<HttpResponse<Buffer>> byUrl(String url) {
    return host.post("/v1/uploads", new JsonObject().put("url", url));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void private_loopback_link_local_metadata_and_ipv6_loopback_addresses_are_refused_saying_why(Vertx vertx,
      VertxTestContext ctx) {
    // a real server on 127.0.0.1 that would answer: the refusal must come before any connection
    TestCdn.start(vertx, r -> r.get("/*").handler(c -> TestCdn.send(c, "image/png", new byte[] {1})))
        .compose(cdn -> Future.all(List.of(
                byUrl(cdn.url("/a.png")),
                byUrl("http://10.1.2.3/a.png"),
                byUrl("http://169.254.169.254/latest/meta-data/"),
                byUrl("http://[::1]:" + cdn.port() + "/a.png"),
                byUrl("http://localhost:" + cdn.port() + "/a.png"),
                byUrl("http://192.168.0.10/a.png"),
                byUrl("http://[::ffff:127.0.0.1]:" + cdn.port() + "/a.png")))
            .map(all -> {
              assertThat(cdn.hits.get()).as("requests that reached the server").isZero();
              return all;
            })
            .eventually(cdn::close))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          refused(all.resultAt(0), "127.0.0.1 is a loopback address");
          refused(all.resultAt(1), "10.1.2.3 is a private address");
          refused(all.resultAt(2), "169.254.169.254 is a cloud metadata address");
          refused(all.resultAt(3), "is a loopback address");
          refused(all.resultAt(4), "localhost resolves to");
          assertThat(detail(all.resultAt(4))).contains("loopback address");
          refused(all.resultAt(5), "192.168.0.10 is a private address");
          refused(all.resultAt(6), "127.0.0.1 is a loopback address"); // Java reads an IPv4-mapped address as IPv4
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void schemes_other_than_http_and_https_are_refused(VertxTestContext ctx) {
    Future.all(List.of(byUrl("file:///etc/passwd"), byUrl("ftp://example.com/a.png"),
            byUrl("data:image/png;base64,iVBORw0KGgo="), byUrl("gopher://127.0.0.1:25/"), byUrl("not a url at all")))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          refused(all.resultAt(0), "scheme file is not allowed");
          refused(all.resultAt(1), "scheme ftp is not allowed");
          refused(all.resultAt(2), "scheme data is not allowed");
          refused(all.resultAt(3), "scheme gopher is not allowed");
          refused(all.resultAt(4), "is not a URL");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void a_body_without_a_url_is_a_bad_request(VertxTestContext ctx) {
    Future.all(List.of(host.post("/v1/uploads", new JsonObject().put("link", "https://example.com/a.png")),
            host.post("/v1/uploads", new JsonObject().put("url", 42))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          Problems.assertProblem(all.resultAt(0), 400, "bad-request");
          assertThat(detail(all.resultAt(0))).contains("no \"url\" string");
          Problems.assertProblem(all.resultAt(1), 400, "bad-request");
          ctx.completeNow();
        })));
  }

  static void refused(HttpResponse<Buffer> r, String why) {
    Problems.assertProblem(r, 422, "url-refused");
    assertThat(detail(r)).contains(why);
  }

  static String detail(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getString("detail");
  }
}
