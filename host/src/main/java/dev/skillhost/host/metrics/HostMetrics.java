package dev.skillhost.host.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host's meters, in one Prometheus registry that is created at boot and passed down to
 * whoever records (the task engine, the stream routes, the API). Vert.x's own HTTP server
 * metrics land in the same registry when the {@code Vertx} was built with it (see
 * {@link #registry()}). Every method is cheap and thread-safe: gauges read values the owners
 * keep current, and nothing here touches the store; counts that need the database are computed
 * elsewhere on a store thread and handed over with {@link #tasks(List)} and {@link #outboxBacklog(long)}.
 *
 * <p>Tag values are never null: a task without a skill is tagged {@code skill="none"}.
 */
public final class HostMetrics {

  /** How often the store-backed gauges (tasks by state, outbox backlog) are recomputed. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(5);
  /** The tag value standing for "no skill" or "no rate bucket". */
  public static final String NONE = "none";

  /**
   * One row of the tasks-by-state gauge.
   *
   * @param state    the task state's wire name ({@code queued}, {@code running}, …)
   * @param provider the provider id
   * @param skill    the skill id, or null
   * @param count    how many tasks are in that state
   */
  public record TaskCount(String state, String provider, String skill, long count) {}

  private final PrometheusMeterRegistry registry;
  private final AtomicLong waitingForRoom = new AtomicLong();
  private final AtomicLong outboxBacklog = new AtomicLong();
  private final Map<String, AtomicInteger> subscribers = new ConcurrentHashMap<>();
  private final MultiGauge tasks;

  public HostMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("skillhost.throttle.waiting", waitingForRoom, AtomicLong::get)
        .description("Tasks waiting in line for room under a provider's rate limit").register(registry);
    Gauge.builder("skillhost.outbox.backlog", outboxBacklog, AtomicLong::get)
        .description("Webhook and channel deliveries not yet delivered or given up").register(registry);
    tasks = MultiGauge.builder("skillhost.tasks")
        .description("Stored tasks by state, provider and skill").register(registry);
    subscribers("websocket");
    subscribers("sse");
  }

  /** A host of its own: a new registry, without Vert.x's server metrics (tests, embedded use). */
  public static HostMetrics create() {
    return new HostMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** The registry, for {@code MicrometerMetricsFactory} when building the {@code Vertx}. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Everything in the Prometheus text format (0.0.4). CPU work only; callers keep it off the event loop. */
  public String scrape() {
    return registry.scrape();
  }

  /** A task entered {@code state} (counted once per change, the first {@code queued} included). */
  public void taskEntered(String provider, String skill, String state) {
    Counter.builder("skillhost.task.transitions")
        .description("Tasks that entered a state, by state, provider and skill")
        .tags(Tags.of("state", state, "provider", provider, "skill", orNone(skill)))
        .register(registry).increment();
  }

  /** A task ended: {@code took} from its submit to its terminal state {@code outcome}. */
  public void taskFinished(String provider, String skill, String outcome, Duration took) {
    Timer.builder("skillhost.task.duration")
        .description("Time from submit to a terminal state, by provider, skill and outcome")
        .tags(Tags.of("provider", provider, "skill", orNone(skill), "outcome", outcome))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofHours(2))
        .register(registry).record(took);
  }

  /**
   * One call to a provider's backend finished.
   *
   * @param bucket     the rate buckets that govern the call, {@code +}-joined, or {@link #NONE}
   * @param call       what was asked: submit, poll, estimate, confirm, reconcile, cancel
   * @param httpStatus the upstream status of a failure (0 when there was none, or no HTTP answer)
   * @param failed     whether the call failed
   */
  public void upstream(String provider, String bucket, String call, long nanos, boolean failed, int httpStatus) {
    Tags tags = Tags.of("provider", provider, "bucket", bucket, "call", call);
    Counter.builder("skillhost.upstream.calls").description("Calls to provider backends")
        .tags(tags).register(registry).increment();
    Timer.builder("skillhost.upstream.latency").description("Latency of calls to provider backends")
        .tags(tags.and("outcome", failed ? "error" : "ok"))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(2))
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    if (failed) {
      Counter.builder("skillhost.upstream.errors").description("Failed calls to provider backends, by upstream status")
          .tags(tags.and("status", String.valueOf(httpStatus))).register(registry).increment();
      if (httpStatus == 429) {
        Counter.builder("skillhost.upstream.rate.limited").description("Calls a backend refused with 429")
            .tags(tags).register(registry).increment();
      }
    }
  }

  /** How many tasks wait for room under rate limits now. */
  public void waitingForRoom(long n) {
    waitingForRoom.set(n);
  }

  /** The live count of subscribers on one transport ({@code websocket}, {@code sse}); owners add and subtract. */
  public AtomicInteger subscribers(String transport) {
    return subscribers.computeIfAbsent(transport, t -> {
      AtomicInteger n = new AtomicInteger();
      Gauge.builder("skillhost.stream.subscribers", n, AtomicInteger::get)
          .description("Open event streams, by transport").tag("transport", t).register(registry);
      return n;
    });
  }

  public void outboxBacklog(long n) {
    outboxBacklog.set(n);
  }

  /** Replaces the tasks-by-state gauge with {@code counts} (rows that vanished are dropped). */
  public void tasks(List<TaskCount> counts) {
    tasks.register(counts.stream().map(c -> MultiGauge.Row.of(
        Tags.of("state", c.state(), "provider", c.provider(), "skill", orNone(c.skill())), c.count())).toList(), true);
  }

  private static String orNone(String value) {
    return value == null || value.isEmpty() ? NONE : value;
  }
}
