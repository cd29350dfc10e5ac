package dev.skillhost.host.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The host's meters, in one Prometheus registry that is created at boot and passed down to
 * whoever records (the task engine, the stream routes, the API). Vert.x's own HTTP server
 * metrics land in the same registry when the {@code Vertx} was built with it (see
 * {@link #registry()}). Every method is cheap and thread-safe: gauges read values the owners
 * keep current, and nothing here touches the store; counts that need the database are computed
 * elsewhere on a store thread and handed over with {@link #tasks(List)} and {@link #outboxBacklog(long)};
 * gauges of the task engine's own state (rate-bucket fill, lane queues) are brought up to date by
 * the engine just before each scrape ({@link #beforeScrape}).
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

  /**
   * How full one rate bucket of a live provider is now.
   *
   * @param provider the provider id
   * @param bucket   the bucket's name
   * @param permits  calls it allows per window
   * @param windowMs the window
   * @param used     calls made in the last window (0 when none yet)
   */
  public record BucketFill(String provider, String bucket, long permits, long windowMs, long used) {}

  private final PrometheusMeterRegistry registry;
  private final AtomicLong waitingForRoom = new AtomicLong();
  private final AtomicLong waitingForLane = new AtomicLong();
  private final AtomicLong outboxBacklog = new AtomicLong();
  private final AtomicInteger mcpSessions = new AtomicInteger();
  private final AtomicInteger liveNodes = new AtomicInteger(1);
  private final Map<String, AtomicInteger> subscribers = new ConcurrentHashMap<>();
  private final MultiGauge tasks;
  private final MultiGauge bucketUsed;
  private final MultiGauge bucketLimit;
  private final MultiGauge bucketFill;
  private final DistributionSummary writeGroups;
  private volatile Supplier<Future<?>> beforeScrape = Future::succeededFuture;

  public HostMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("skillhost.throttle.waiting", waitingForRoom, AtomicLong::get)
        .description("Tasks waiting in line for room under a provider's rate limit").register(registry);
    Gauge.builder("skillhost.outbox.backlog", outboxBacklog, AtomicLong::get)
        .description("Webhook and channel deliveries not yet delivered or given up").register(registry);
    Gauge.builder("skillhost.lanes.waiting", waitingForLane, AtomicLong::get)
        .description("Tasks waiting for the task before them in the same lane (a conversation) to finish")
        .register(registry);
    Gauge.builder("skillhost.mcp.sessions", mcpSessions, AtomicInteger::get)
        .description("Live MCP sessions").register(registry);
    Gauge.builder("skillhost.cluster.nodes", liveNodes, AtomicInteger::get)
        .description("Hosts whose lease on the shared store holds, this one included (1 on SQLite)").register(registry);
    tasks = MultiGauge.builder("skillhost.tasks")
        .description("Stored tasks by state, provider and skill").register(registry);
    bucketUsed = MultiGauge.builder("skillhost.rate.bucket.used")
        .description("Calls made in a rate bucket's current window, by provider and bucket").register(registry);
    bucketLimit = MultiGauge.builder("skillhost.rate.bucket.limit")
        .description("Calls a rate bucket allows per window, by provider and bucket").register(registry);
    bucketFill = MultiGauge.builder("skillhost.rate.bucket.fill")
        .description("Share of a rate bucket's window used (used / limit, 0 to 1), by provider and bucket")
        .register(registry);
    writeGroups = DistributionSummary.builder("skillhost.store.write.group")
        .description("Writes carried by each grouped store commit (SQLite or PostgreSQL)")
        .baseUnit("writes")
        .publishPercentileHistogram()
        .minimumExpectedValue(1.0)
        .maximumExpectedValue(1024.0)
        .register(registry);
    subscribers("websocket");
    subscribers("sse");
    subscribers("mcp");
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

  /**
   * What brings the engine-state gauges up to date; {@link #refresh()} runs it before each scrape.
   * Those gauges change with time as well as with events (a window empties by itself), so they
   * are read when asked for rather than kept current.
   */
  public void beforeScrape(Supplier<Future<?>> refresh) {
    this.beforeScrape = refresh;
  }

  /** Runs the {@link #beforeScrape} hook; never fails (a scrape then shows the last values). */
  public Future<Void> refresh() {
    try {
      return beforeScrape.get().<Void>mapEmpty().otherwiseEmpty();
    } catch (RuntimeException e) {
      return Future.succeededFuture();
    }
  }

  /**
   * {@code client} as the provider {@code provider} gets it: the same pool, with every request
   * counted under the provider and the rate bucket of the call it is part of (see {@link #inBucket}).
   */
  public HttpClient meter(HttpClient client, String provider) {
    return new MeteredHttpClient(client, provider, this);
  }

  /**
   * Runs {@code call} so that the HTTP requests a plugin makes through its context's client while
   * doing it, and in the callbacks that follow, are counted under {@code bucket}.
   */
  public static <T> Future<T> inBucket(String bucket, Supplier<Future<T>> call) {
    return UpstreamScope.run(bucket, call);
  }

  /** One HTTP exchange through a metered client: {@code status} 0 when no response came. */
  void upstreamHttp(String provider, String bucket, long nanos, int status) {
    Tags tags = Tags.of("provider", provider, "bucket", bucket);
    boolean failed = status == 0 || status >= 400;
    Counter.builder("skillhost.upstream.http.requests").description("HTTP requests plugins made through ctx.http()")
        .tags(tags).register(registry).increment();
    Timer.builder("skillhost.upstream.http.latency")
        .description("Time from a plugin's HTTP request to its response's head (or its failure)")
        .tags(tags.and("outcome", failed ? "error" : "ok"))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(2))
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    if (failed) {
      Counter.builder("skillhost.upstream.http.errors")
          .description("Plugin HTTP requests answered 4xx/5xx or with no response (status=\"none\")")
          .tags(tags.and("status", status == 0 ? NONE : String.valueOf(status))).register(registry).increment();
    }
    if (status == 429) {
      Counter.builder("skillhost.upstream.http.rate.limited").description("Plugin HTTP requests answered 429")
          .tags(tags).register(registry).increment();
    }
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

  /** How many tasks wait for their lane now. */
  public void waitingForLane(long n) {
    waitingForLane.set(n);
  }

  /** The live count of MCP sessions; its owner sets it. */
  public AtomicInteger mcpSessions() {
    return mcpSessions;
  }

  /** How many hosts' leases on the shared store hold, as this host last counted them. */
  public void liveNodes(int n) {
    liveNodes.set(n);
  }

  /** This host took over {@code n} unfinished tasks of hosts whose lease lapsed. */
  public void tookOver(int n) {
    Counter.builder("skillhost.cluster.takeovers").description("Unfinished tasks this host took over from hosts whose lease lapsed")
        .baseUnit("tasks").register(registry).increment(n);
  }

  /** One grouped SQLite commit carried {@code writes} writes (called on the writer thread). */
  public void writeGroup(int writes) {
    writeGroups.record(writes);
  }

  public void outboxBacklog(long n) {
    outboxBacklog.set(n);
  }

  /** Replaces the rate-bucket gauges with {@code fills} (buckets of providers no longer live are dropped). */
  public void rateBuckets(List<BucketFill> fills) {
    bucketUsed.register(fills.stream().map(f -> MultiGauge.Row.of(bucketTags(f), f.used())).toList(), true);
    bucketLimit.register(fills.stream().map(f -> MultiGauge.Row.of(bucketTags(f), f.permits())).toList(), true);
    bucketFill.register(fills.stream().map(f -> MultiGauge.Row.of(bucketTags(f),
        Math.min(1.0, (double) f.used() / f.permits()))).toList(), true);
  }

  private static Tags bucketTags(BucketFill f) {
    return Tags.of("provider", f.provider(), "bucket", f.bucket());
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
