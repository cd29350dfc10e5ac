package dev.skillhost.host.api;

import static dev.skillhost.host.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.HostTestBase;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/providers/{id}/account}: the provider's own account call, credits included. */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ProviderAccountTest extends HostTestBase {

  @Test
  void a_loaded_provider_answers_its_account(VertxTestContext ctx) {
    host.get("/v1/providers/sim/account").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      JsonObject account = r.bodyAsJsonObject();
      assertThat(account.getString("provider")).isEqualTo("sim");
      assertThat(account.containsKey("credits")).isTrue();
      ctx.completeNow();
    })));
  }

  @Test
  void a_provider_that_is_not_loaded_is_a_404_problem(VertxTestContext ctx) {
    host.get("/v1/providers/nope/account").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertProblem(r, 404, "not-found");
      ctx.completeNow();
    })));
  }
}
