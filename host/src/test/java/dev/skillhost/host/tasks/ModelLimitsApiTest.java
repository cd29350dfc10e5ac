package dev.skillhost.host.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.HostTestBase;
import dev.skillhost.host.testing.Problems;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A model's own limits (skills/sim.yaml: t2v's {@code sim-short} allows at most 10 s) hold on top of
 * the operation's: a task outside them is refused before anything is stored, with a problem that
 * names the model, the parameter and what is allowed.
 */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ModelLimitsApiTest extends HostTestBase {

  private Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>> t2v(JsonObject params) {
    return host.post("/v1/tasks", new JsonObject().put("skill", "sim").put("operation", "t2v").put("params", params));
  }

  @Test
  void a_value_outside_the_models_limits_is_refused_naming_model_param_and_allowed_values(VertxTestContext ctx) {
    Future.all(
            t2v(new JsonObject().put("model", "sim-short").put("duration_ms", 20000)),
            t2v(new JsonObject().put("model", "sim-1").put("duration_ms", 20000)),
            t2v(new JsonObject().put("model", "sim-short").put("duration_ms", 4_000_000)))
        .compose(all -> host.get("/v1/tasks").map(list -> {
          List<io.vertx.ext.web.client.HttpResponse<?>> r = new java.util.ArrayList<>(all.list());
          r.add(list);
          return r;
        }))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          io.vertx.ext.web.client.HttpResponse<?> refused = r.get(0);
          Problems.assertProblem(refused, 400, "invalid-request");
          JsonObject problem = refused.bodyAsJsonObject();
          assertThat(problem.getString("detail"))
              .isEqualTo("'duration_ms' must be at most 10000 for t2v with model sim-short, not 20000");
          assertThat(problem.getString("model")).isEqualTo("sim-short");
          assertThat(problem.getString("param")).isEqualTo("duration_ms");
          assertThat(problem.getString("operation")).isEqualTo("t2v");
          assertThat(problem.getJsonObject("allowed")).isEqualTo(new JsonObject().put("max", 10000));
          assertThat(problem.getInteger("value")).isEqualTo(20000);

          assertThat(r.get(1).statusCode()).as("another model keeps the operation's limits").isEqualTo(202);

          // outside the operation's own limits: refused as before, naming no model
          JsonObject own = r.get(2).bodyAsJsonObject();
          Problems.assertProblem(r.get(2), 400, "invalid-request");
          assertThat(own.getString("param")).isEqualTo("duration_ms");
          assertThat(own.containsKey("model")).isFalse();
          assertThat(own.getJsonObject("allowed")).isEqualTo(new JsonObject().put("min", 0).put("max", 3600000));

          assertThat(r.get(3).bodyAsJsonObject().getJsonArray("tasks")).as("refused tasks are not stored").hasSize(1);
          ctx.completeNow();
        })));
  }
}
