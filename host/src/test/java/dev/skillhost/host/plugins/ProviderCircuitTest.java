package dev.skillhost.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The breaker's rules, on Vert.x's CircuitBreaker: what counts, what an open circuit refuses, how it recovers. */
@ExtendWith(VertxExtension.class)
class ProviderCircuitTest {

  private static final ProviderCircuit.Settings FAST = new ProviderCircuit.Settings(3, Duration.ofSeconds(60),
      Duration.ofMillis(300));

  private static Future<String> failing(ProviderException e) {
    return Future.failedFuture(e);
  }

  /** Waits for {@code f} and answers its failure, or null. */
  private static Throwable causeOf(Future<?> f) {
    return f.transform(ar -> Future.succeededFuture(ar.cause())).await();
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void opens_after_n_upstream_faults_in_a_row_and_then_refuses_a_submit_without_calling_the_provider(Vertx vertx) {
    ProviderCircuit c = new ProviderCircuit(vertx, "p", FAST);
    causeOf(c.read(() -> failing(new ProviderException("E", 502, "bad gateway"))));
    causeOf(c.read(() -> failing(new ProviderException("E", 500, "oops"))));
    c.read(() -> Future.succeededFuture("ok")).await(); // an answer in between starts the count again
    assertThat(c.failures()).isZero();
    causeOf(c.read(() -> failing(new ProviderException("E", 503, "down"))));
    causeOf(c.read(() -> failing(new ProviderException("connection", 0, "reset"))));
    assertThat(c.state()).isEqualTo(ProviderCircuit.State.CLOSED);
    causeOf(c.read(() -> Future.failedFuture(new IOException("connection reset"))));

    assertThat(c.state()).isEqualTo(ProviderCircuit.State.OPEN);
    assertThat(c.problem()).hasValueSatisfying(p -> assertThat(p).startsWith("circuit open: 3 upstream failures"));
    AtomicInteger called = new AtomicInteger();
    Throwable refused = causeOf(c.submit(() -> {
      called.incrementAndGet();
      return Future.succeededFuture("task");
    }));
    assertThat(called).hasValue(0);
    assertThat(refused).isInstanceOfSatisfying(ProviderException.class, pe -> {
      assertThat(pe.rejected()).isTrue();
      assertThat(pe.code()).isEqualTo(ProviderCircuit.OPEN_CODE);
    });
    // reads still go out: a task already submitted is never left unwatched
    assertThat(c.read(() -> Future.succeededFuture("polled")).await()).isEqualTo("polled");
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void refusals_rate_limits_and_unloaded_providers_do_not_count(Vertx vertx) {
    ProviderCircuit c = new ProviderCircuit(vertx, "p", FAST);
    for (ProviderException e : new ProviderException[] {new ProviderException("1429", 429, "slow down"),
        new ProviderException("2012", 402, "no credits"), ProviderException.rejected("invalid_params", "bad"),
        new ProviderException("provider_unavailable", 0, "not loaded"), new ProviderException("x", 400, "bad")}) {
      Throwable seen = causeOf(c.read(() -> failing(e)));
      assertThat(seen).isSameAs(e); // the provider's own failure comes through unchanged
    }
    causeOf(c.read(() -> failing(new ProviderException("E", 502, "bad gateway"))));
    assertThat(c.failures()).isOne();
    causeOf(c.read(() -> failing(new ProviderException("1429", 429, "slow down")))); // an answer: starts again
    assertThat(c.failures()).isZero();
    assertThat(c.state()).isEqualTo(ProviderCircuit.State.CLOSED);
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void half_open_lets_one_submit_try_and_its_success_closes_the_circuit(Vertx vertx) throws Exception {
    ProviderCircuit c = new ProviderCircuit(vertx, "p", FAST);
    c.open();
    assertThat(c.state()).isEqualTo(ProviderCircuit.State.OPEN);
    long until = System.currentTimeMillis() + 5_000;
    while (c.state() != ProviderCircuit.State.HALF_OPEN && System.currentTimeMillis() < until) {
      Thread.sleep(20);
    }
    assertThat(c.state()).isEqualTo(ProviderCircuit.State.HALF_OPEN);
    assertThat(c.problem()).hasValueSatisfying(p -> assertThat(p).startsWith("circuit half-open"));

    io.vertx.core.Promise<String> trial = io.vertx.core.Promise.promise();
    Future<String> first = c.submit(trial::future);
    AtomicInteger called = new AtomicInteger();
    Throwable second = causeOf(c.submit(() -> {
      called.incrementAndGet();
      return Future.succeededFuture("x");
    }));
    assertThat(called).as("only one trial call while half-open").hasValue(0);
    assertThat(((ProviderException) second).code()).isEqualTo(ProviderCircuit.OPEN_CODE);
    trial.complete("task");
    assertThat(first.await()).isEqualTo("task");
    assertThat(c.state()).isEqualTo(ProviderCircuit.State.CLOSED);
    assertThat(c.problem()).isEmpty();
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void a_failed_trial_opens_it_again(Vertx vertx) throws Exception {
    ProviderCircuit c = new ProviderCircuit(vertx, "p", FAST);
    c.open();
    long until = System.currentTimeMillis() + 5_000;
    while (c.state() != ProviderCircuit.State.HALF_OPEN && System.currentTimeMillis() < until) {
      Thread.sleep(20);
    }
    causeOf(c.submit(() -> failing(new ProviderException("E", 503, "down"))));
    assertThat(c.state()).isEqualTo(ProviderCircuit.State.OPEN);
  }

  @Test
  void settings_come_from_the_providers_circuit_section() {
    assertThat(ProviderCircuit.Settings.of(new JsonObject())).isEqualTo(ProviderCircuit.Settings.DEFAULTS);
    assertThat(ProviderCircuit.Settings.of(new JsonObject().put("circuit", new JsonObject()
        .put("max_failures", 2).put("reset_ms", 500))))
        .isEqualTo(new ProviderCircuit.Settings(2, ProviderCircuit.Settings.DEFAULT_WINDOW, Duration.ofMillis(500)));
  }
}
