package dev.skillhost.host.plugins;

import dev.skillhost.api.ProviderException;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One provider's circuit breaker (Vert.x's {@link CircuitBreaker}), shared by every loaded version
 * of the provider: {@link Settings#maxFailures} upstream faults in a row (an HTTP 5xx, no
 * connection, an answer that could not be read) within {@link Settings#window} open it; any other
 * answer in between, even a refusal, starts the count again (Vert.x resets it on every call its
 * failure policy does not count). After {@link Settings#reset} it lets one call through
 * (half-open): an answer closes it, another fault opens it again.
 *
 * <p>Money-safety: only {@link #submit} is refused by an open circuit, and a refused submit never
 * reaches the provider (it fails as rejected, code {@value #OPEN_CODE}), so the task may go to another skill.
 * Reads (polls, reconciliation, cancel) are never held back: a task already submitted keeps
 * being watched; while the circuit is closed they count towards opening it.
 */
public final class ProviderCircuit {

  /**
   * How a provider's breaker behaves; from {@code providers.<id>.circuit} in the host config
   * ({@code max_failures}, {@code window_ms}, {@code reset_ms}), else the defaults.
   *
   * @param maxFailures upstream faults in a row, within {@code window}, that open the circuit
   * @param window      how far back faults are counted
   * @param reset       how long the circuit stays open before one call may try again
   */
  public record Settings(int maxFailures, Duration window, Duration reset) {
    public static final int DEFAULT_MAX_FAILURES = 5;
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RESET = Duration.ofSeconds(30);
    public static final Settings DEFAULTS = new Settings(DEFAULT_MAX_FAILURES, DEFAULT_WINDOW, DEFAULT_RESET);

    /** The {@code circuit} section of a provider's config; absent or wrong-typed fields take their default. */
    public static Settings of(JsonObject providerConfig) {
      JsonObject c = providerConfig == null ? null : providerConfig.getValue("circuit") instanceof JsonObject o ? o : null;
      if (c == null) {
        return DEFAULTS;
      }
      return new Settings(positive(c.getValue("max_failures"), DEFAULT_MAX_FAILURES),
          Duration.ofMillis(positive(c.getValue("window_ms"), DEFAULT_WINDOW.toMillis())),
          Duration.ofMillis(positive(c.getValue("reset_ms"), DEFAULT_RESET.toMillis())));
    }

    private static int positive(Object v, int fallback) {
      return v instanceof Number n && n.intValue() > 0 ? n.intValue() : fallback;
    }

    private static long positive(Object v, long fallback) {
      return v instanceof Number n && n.longValue() > 0 ? n.longValue() : fallback;
    }
  }

  /** The state as people read it: {@code closed}, {@code open}, {@code half_open}. */
  public enum State { CLOSED, OPEN, HALF_OPEN;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The code of the refusal a submit gets while the circuit is open; nothing was sent. */
  public static final String OPEN_CODE = "circuit_open";

  private final String provider;
  private final Settings settings;
  private final CircuitBreaker breaker;
  private volatile long openedAt;

  ProviderCircuit(Vertx vertx, String provider, Settings settings) {
    this.provider = provider;
    this.settings = settings;
    this.breaker = CircuitBreaker.create("provider-" + provider, vertx, new CircuitBreakerOptions()
            .setMaxFailures(settings.maxFailures())
            .setFailuresRollingWindow(settings.window().toMillis())
            .setResetTimeout(settings.reset().toMillis())
            .setTimeout(-1) // the engine times its calls itself; a breaker timeout would cut a submit short
            .setMaxRetries(0)
            .setNotificationAddress(null))
        .failurePolicy(done -> done.failed() && upstreamFault(done.cause()))
        .openHandler(v -> openedAt = System.currentTimeMillis());
  }

  public String provider() {
    return provider;
  }

  public Settings settings() {
    return settings;
  }

  public State state() {
    CircuitBreakerState s = breaker.state();
    return s == CircuitBreakerState.OPEN ? State.OPEN : s == CircuitBreakerState.HALF_OPEN ? State.HALF_OPEN : State.CLOSED;
  }

  /** Upstream faults counted in the current window. */
  public long failures() {
    return breaker.failureCount();
  }

  /**
   * Sends a submit unless the circuit is open (or half-open with its one trial call already out).
   * Then the provider is not called, and the submit fails with
   * {@code ProviderException.rejected("circuit_open", …)}: nothing was sent, so nothing was spent.
   */
  public <T> Future<T> submit(Supplier<Future<T>> call) {
    AtomicBoolean sent = new AtomicBoolean();
    return breaker.<T>execute(() -> {
      sent.set(true);
      return call.get();
    }).recover(e -> Future.failedFuture(sent.get() ? e : refusal()));
  }

  private ProviderException refusal() {
    return ProviderException.rejected(OPEN_CODE, problem().orElse("circuit open") + "; nothing was sent");
  }

  /**
   * A call that spends nothing (a poll, a reconciliation, a cancel): counted while the circuit is
   * closed, sent directly while it is open or half-open, so a task already running is never left
   * unwatched and a read cannot take the half-open trial a submit may need.
   */
  public <T> Future<T> read(Supplier<Future<T>> call) {
    return state() == State.CLOSED ? breaker.execute(call) : call.get();
  }

  /** Why routing should not pick this provider now, or empty while the circuit is closed. */
  public Optional<String> problem() {
    return switch (state()) {
      case CLOSED -> Optional.empty();
      case OPEN -> Optional.of("circuit open: " + settings.maxFailures() + " upstream failures within "
          + settings.window().toSeconds() + " s; trying " + provider + " again in about "
          + Math.max(1, Math.round((openedAt + settings.reset().toMillis() - System.currentTimeMillis()) / 1000.0)) + " s");
      case HALF_OPEN -> Optional.of("circuit half-open: the next call to " + provider + " decides whether it is back");
    };
  }

  public JsonObject toJson() {
    return new JsonObject().put("state", state().wire()).put("failures", failures());
  }

  /** Opens the circuit at once, for the host's own checks and tests. */
  public void open() {
    breaker.open();
  }

  void close() {
    breaker.close();
  }

  /**
   * What tells of an unhealthy backend: an HTTP 5xx, or a call that got no readable answer (no
   * connection, a reset, a timeout, malformed data). Not a refusal, a rate limit or a bad request:
   * the backend answered those. Not a provider the host has not loaded either.
   */
  static boolean upstreamFault(Throwable e) {
    if (e instanceof ProviderException pe) {
      if (pe.httpStatus() >= 500) {
        return true;
      }
      return pe.httpStatus() == 0 && !pe.rejected() && (pe.code() == null || !pe.code().endsWith("_unavailable"));
    }
    return e instanceof IOException || e instanceof TimeoutException
        || (e != null && e.getCause() instanceof IOException);
  }
}
