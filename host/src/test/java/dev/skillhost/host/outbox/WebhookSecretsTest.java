package dev.skillhost.host.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Webhook signing secrets in the shared directory: one per owner whichever node makes it. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class WebhookSecretsTest {

  @TempDir Path shared;

  @Test
  void two_nodes_asking_for_new_owners_secrets_at_once_get_the_same_secret_each(Vertx vertx, VertxTestContext ctx) {
    List<String> owners = IntStream.range(0, 40).mapToObj(i -> "o_owner" + i).toList();
    Future.all(WebhookSecrets.load(vertx, shared), WebhookSecrets.load(vertx, shared))
        .compose(both -> {
          WebhookSecrets a = both.resultAt(0);
          WebhookSecrets b = both.resultAt(1);
          List<Future<String>> asked = new ArrayList<>();
          for (String owner : owners) {
            asked.add(a.of(owner));
            asked.add(b.of(owner));
          }
          return Future.all(asked).map(all -> all.<String>list());
        })
        .onComplete(ctx.succeeding(secrets -> ctx.verify(() -> {
          for (int i = 0; i < owners.size(); i++) {
            assertThat(secrets.get(2 * i)).as(owners.get(i)).startsWith("whsec_").isEqualTo(secrets.get(2 * i + 1));
            assertThat(Files.readString(shared.resolve(WebhookSecrets.DIR_NAME).resolve(owners.get(i))).strip())
                .isEqualTo(secrets.get(2 * i));
          }
          assertThat(secrets.stream().distinct().count()).as("a different secret per owner").isEqualTo(owners.size());
          ctx.completeNow();
        })));
  }

  @Test
  void secrets_in_the_single_file_of_earlier_versions_are_still_used(Vertx vertx, VertxTestContext ctx) throws Exception {
    Files.writeString(shared.resolve(WebhookSecrets.FILE_NAME), "# old\no_old whsec_b2xkb2xkb2xkb2xkb2xkb2xkb2xk\n");
    WebhookSecrets.load(vertx, shared).compose(s -> s.of("o_old"))
        .onComplete(ctx.succeeding(secret -> ctx.verify(() -> {
          assertThat(secret).isEqualTo("whsec_b2xkb2xkb2xkb2xkb2xkb2xkb2xk");
          assertThat(shared.resolve(WebhookSecrets.DIR_NAME).resolve("o_old")).doesNotExist();
          ctx.completeNow();
        })));
  }
}
