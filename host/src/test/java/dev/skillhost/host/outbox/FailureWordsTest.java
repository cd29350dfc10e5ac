package dev.skillhost.host.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the deliveries page says of a failed attempt: the failure in words, not an exception's class name. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class FailureWordsTest {

  @Test
  void a_refused_connection_and_a_silent_receiver_are_said_in_words(Vertx vertx, VertxTestContext ctx) {
    // a port that was just free: nothing listens there
    NetServer probe = vertx.createNetServer().connectHandler(socket -> socket.close());
    probe.listen(0, "127.0.0.1")
        .compose(s -> {
          int port = s.actualPort();
          return s.close().map(port);
        })
        .compose(port -> vertx.createHttpClient().request(HttpMethod.POST, port, "127.0.0.1", "/hook")
            .compose(req -> req.send()))
        .onComplete(ctx.failing(refused -> ctx.verify(() -> {
          String words = WebhookSender.describe(refused);
          assertThat(words).startsWith("could not connect: ").contains("127.0.0.1").doesNotContain("Exception");
          // a receiver that accepts and never answers: the request's own timeout
          vertx.createNetServer().connectHandler(socket -> { }).listen(0, "127.0.0.1")
              .compose(s -> vertx.createHttpClient().request(new io.vertx.core.http.RequestOptions()
                  .setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(s.actualPort()).setURI("/hook")
                  .setIdleTimeout(300)).compose(req -> req.send()))
              .onComplete(ctx.failing(silent -> ctx.verify(() -> {
                assertThat(WebhookSender.describe(silent)).startsWith("no answer in time").doesNotContain("Exception");
                assertThat(WebhookSender.describe(new IllegalStateException("bad state"))).isEqualTo("bad state");
                assertThat(WebhookSender.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
                ctx.completeNow();
              })));
        })));
  }
}
