package dev.skillhost.simulators.lovart;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The simulator refuses what the real gateway refuses: a request signed with the wrong secret, an
 * old timestamp, a signature over another path, a library's default User-Agent. Signed here from
 * the documented scheme (hex HMAC-SHA256 of {@code METHOD\nPATH\nts}), not with the plugin's code.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class LovartSignatureTest {

  private static final String UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/126.0 Safari/537.36";

  @Test
  void only_a_fresh_correct_signature_from_a_browser_like_client_gets_through(Vertx vertx, VertxTestContext ctx) {
    LovartSimulator.Options o = new LovartSimulator.Options();
    o.accessKey = "ak_test";
    o.secretKey = "sk_test";
    WebClient client = WebClient.create(vertx);
    LovartSimulator.start(vertx, o).compose(sim -> {
      long now = System.currentTimeMillis() / 1000;
      String path = LovartSimulator.PREFIX + "/mode/query";
      return Future.all(List.of(
              send(client, sim, path, "sk_test", now, path, UA),            // correct
              send(client, sim, path, "sk_wrong", now, path, UA),           // wrong secret
              send(client, sim, path, "sk_test", now - 3600, path, UA),     // an hour old
              send(client, sim, path, "sk_test", now, LovartSimulator.PREFIX + "/chat", UA), // signed another path
              send(client, sim, path, "sk_test", now, path, "Vert.x-WebClient/5.0")))      // a library's UA
          .eventually(() -> sim.close());
    }).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      List<HttpResponse<Buffer>> r = all.list();
      assertThat(r.get(0).statusCode()).as(r.get(0).bodyAsString()).isEqualTo(200);
      assertThat(r.get(1).statusCode()).isEqualTo(401);
      assertThat(r.get(1).bodyAsString()).contains("signature mismatch");
      assertThat(r.get(2).statusCode()).isEqualTo(401);
      assertThat(r.get(2).bodyAsString()).contains("timestamp expired");
      assertThat(r.get(3).statusCode()).isEqualTo(401);
      assertThat(r.get(3).bodyAsString()).contains("does not match");
      assertThat(r.get(4).statusCode()).isEqualTo(403);
      client.close();
      ctx.completeNow();
    })));
  }

  private static Future<HttpResponse<Buffer>> send(WebClient client, LovartSimulator sim, String path, String secret,
      long ts, String signedPath, String userAgent) {
    return client.requestAbs(HttpMethod.POST, sim.baseUrl() + path)
        .putHeader("User-Agent", userAgent)
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Access-Key", "ak_test")
        .putHeader("X-Timestamp", Long.toString(ts))
        .putHeader("X-Signed-Method", "POST")
        .putHeader("X-Signed-Path", signedPath)
        .putHeader("X-Signature", LovartSignature.sign(secret, "POST\n" + signedPath + "\n" + ts))
        .sendBuffer(Buffer.buffer("{}"));
  }
}
