package dev.skillhost.host.outbox;

import dev.skillhost.host.net.AddressPolicy;
import dev.skillhost.host.plugins.PluginHost;
import dev.skillhost.host.store.Database;
import dev.skillhost.host.store.TaskStore;
import dev.skillhost.host.tasks.TaskRejected;
import dev.skillhost.host.tasks.TaskRejected.Reason;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox's facade: webhooks and chat channel deliveries, at least once for webhooks
 * and once for channels, retried on a schedule for hours, surviving restarts. The task engine
 * never waits for it: deliveries are rows the task store writes with the events (see
 * {@link OutboxStore}), and this verticle works through the due ones on its own timer.
 *
 * <p>With several nodes on one database, each node sends only what it claimed (see
 * {@link OutboxStore}): no two nodes send the same attempt. A claim lasts twice the attempt's
 * limit ({@link Options#timeout()} for a webhook, {@value #CHANNEL_TIMEOUT_FACTOR} times it for a
 * channel), so a live node always stores its outcome in time; if the node dies mid-send, the claim
 * lapses and another node sends the delivery again under the same id (at least once: the receiver
 * dedupes on the id).
 */
public final class OutboxVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxVerticle.class);

  /**
   * @param retrySchedule delay before each attempt (the first: before the first try); its size is the most attempts
   * @param pollInterval  how often to look for due deliveries
   * @param timeout       one webhook attempt's limit; a channel call gets {@value #CHANNEL_TIMEOUT_FACTOR} times it
   * @param maxInFlight   attempts under way at once
   * @param node          this process's node id, written on the deliveries it claims (unique per process)
   */
  public record Options(List<Duration> retrySchedule, Duration pollInterval, Duration timeout, int maxInFlight,
      String node) {
    public static final int DEFAULT_MAX_IN_FLIGHT = 32;

    public Options {
      retrySchedule = List.copyOf(retrySchedule);
      java.util.Objects.requireNonNull(node, "node");
    }

    /** How long one attempt of {@code kind} may take before it counts as failed (and is retried). */
    Duration limit(String kind) {
      return OutboxEntry.CHANNEL.equals(kind) ? timeout.multipliedBy(CHANNEL_TIMEOUT_FACTOR) : timeout;
    }

    /** How long a claim on a delivery of {@code kind} holds: twice its attempt's limit. */
    Duration lease(String kind) {
      return limit(kind).multipliedBy(2);
    }
  }

  static final int CHANNEL_TIMEOUT_FACTOR = 10;

  private final OutboxStore store;
  private final WebhookSecrets secrets;
  private final PluginHost plugins;
  private final AddressPolicy policy;
  private final Options options;
  private final Clock clock;
  private final Set<String> inFlight = new HashSet<>();
  private HttpClient http;
  private WebhookSender webhooks;
  private ChannelSender channels;
  private long timer = -1;
  private boolean polling;
  private volatile boolean closed;

  private OutboxVerticle(OutboxStore store, WebhookSecrets secrets, PluginHost plugins, AddressPolicy policy,
      Options options, Clock clock) {
    this.store = store;
    this.secrets = secrets;
    this.plugins = plugins;
    this.policy = policy;
    this.options = options;
    this.clock = clock;
  }

  /**
   * Opens the outbox's tables and secrets and hooks it into {@code tasks}, so events stored from
   * now on carry their deliveries. Deploy the result to start delivering.
   *
   * @param sharedDir the directory every node sees, where the webhook signing secrets are kept
   */
  public static Future<OutboxVerticle> create(Vertx vertx, TaskStore tasks, PluginHost plugins, AddressPolicy policy,
      Path sharedDir, Options options, Clock clock) {
    return open(vertx, tasks.database(), plugins, policy, sharedDir, options, clock).onSuccess(v -> tasks.addHook(v.store));
  }

  /** The outbox on {@code db} without a task store to hook into (tests: several nodes on one database). */
  static Future<OutboxVerticle> open(Vertx vertx, Database db, PluginHost plugins, AddressPolicy policy,
      Path sharedDir, Options options, Clock clock) {
    return OutboxStore.open(db, options.node())
        .compose(store -> WebhookSecrets.load(vertx, sharedDir)
            .map(secrets -> new OutboxVerticle(store, secrets, plugins, policy, options, clock)));
  }

  @Override
  public Future<?> start() {
    // as many connections to one receiver as attempts may be under way: an attempt never queues
    // for a connection (Vert.x's default is 5), which would eat into its limit and its claim
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxRedirects(0)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis())),
        new PoolOptions().setHttp1MaxSize(options.maxInFlight()));
    webhooks = new WebhookSender(vertx, http, policy, secrets, options.timeout(), clock);
    channels = new ChannelSender(plugins, options.timeout().multipliedBy(CHANNEL_TIMEOUT_FACTOR));
    return store.resumeInterrupted(clock.millis()).onSuccess(n -> {
      if (n > 0) {
        LOG.info("{} channel deliveries were being sent when the host stopped; sending them again (same ids)", n);
      }
      timer = vertx.setPeriodic(0, options.pollInterval().toMillis(), id -> poll());
    });
  }

  @Override
  public Future<?> stop() {
    closed = true;
    vertx.cancelTimer(timer);
    return http == null ? Future.succeededFuture() : http.close();
  }

  /**
   * Checks a task's delivery request for its owner: the webhook's address may be reached (its
   * name resolved and every address checked) and the owner's signing secret exists; the channel
   * is loaded. Answers the request unchanged, or fails with a {@link TaskRejected}.
   */
  public Future<JsonObject> check(String owner, JsonObject deliver) {
    if (deliver == null) {
      return Future.succeededFuture(null);
    }
    JsonObject channel = deliver.getJsonObject(OutboxEntry.CHANNEL);
    if (channel != null && plugins.channel(channel.getString("id")).isEmpty()) {
      return Future.failedFuture(new TaskRejected(Reason.UNKNOWN_CHANNEL, "No chat channel '" + channel.getString("id")
          + "' is loaded; GET /v1/channels lists them."));
    }
    JsonObject webhook = deliver.getJsonObject(OutboxEntry.WEBHOOK);
    if (webhook == null) {
      return Future.succeededFuture(deliver);
    }
    return vertx.executeBlocking(() -> Endpoint.resolve(webhook.getString("url"), policy))
        .recover(err -> Future.failedFuture(err instanceof Endpoint.Refused
            ? new TaskRejected(Reason.WEBHOOK_REFUSED, "webhook.url refused: " + err.getMessage()) : err))
        .compose(endpoint -> secrets.of(owner))
        .map(secret -> deliver);
  }

  /** The caller's webhook signing secret ({@code whsec_…}), made on first use. */
  public Future<String> secret(String owner) {
    return secrets.of(owner);
  }

  /** Deliveries not yet made or given up (read on a store thread). */
  public Future<Long> backlog() {
    return store.backlog();
  }

  /** One owner's deliveries across tasks, newest first (see {@link OutboxStore#forOwner}). */
  public Future<List<OutboxEntry>> deliveriesOf(String owner, Set<String> states, Long beforeAt, String beforeId,
      int limit) {
    return store.forOwner(owner, states, beforeAt, beforeId, limit);
  }

  /** Every delivery of a task, oldest event first. */
  public Future<List<OutboxEntry>> deliveries(String taskId) {
    return store.forTask(taskId);
  }

  private void poll() {
    int room = options.maxInFlight() - inFlight.size();
    if (closed || polling || room <= 0) {
      return;
    }
    polling = true;
    store.claim(clock.millis(), options.lease(OutboxEntry.WEBHOOK), options.lease(OutboxEntry.CHANNEL), room)
        .onComplete(ar -> {
          polling = false;
          if (ar.failed()) {
            if (!closed) LOG.warn("outbox: could not claim due deliveries: {}", ar.cause().toString());
          } else {
            // what this node holds is claimed until its outcome is stored, so it never comes back here meanwhile
            ar.result().stream().filter(e -> !inFlight.contains(e.id())).forEach(this::attempt);
          }
        });
  }

  private void attempt(OutboxEntry e) {
    if (closed) {
      return;
    }
    inFlight.add(e.id());
    Future<Outcome> outcome = OutboxEntry.CHANNEL.equals(e.kind())
        ? store.sending(e.id(), clock.millis()).compose(v -> channels.send(e))
        : webhooks.send(e);
    outcome
        // the attempt must end well inside its claim, so its outcome is stored before the claim lapses
        .timeout(options.limit(e.kind()).toMillis(), TimeUnit.MILLISECONDS)
        .recover(err -> Future.succeededFuture(Outcome.retry(WebhookSender.describe(err), null)))
        // stopped meanwhile: the row stays as it was (pending, or sending for a channel) and is
        // attempted again under the same id: after a restart (SQLite), or once the claim lapses
        .compose(o -> closed ? Future.succeededFuture() : store.record(e, o, options.retrySchedule(), clock.millis())
            .onSuccess(stored -> {
              if (stored) {
                log(e, o);
              } else {
                LOG.warn("outbox: delivery {} outlived its claim; another node took it over, this attempt is not stored",
                    e.id());
              }
            }))
        .onComplete(ar -> {
          if (ar.failed() && !closed) {
            LOG.warn("outbox: could not record delivery {}: {}", e.id(), ar.cause().toString());
          }
          inFlight.remove(e.id());
        });
  }

  private static void log(OutboxEntry e, Outcome o) {
    if (o.kind() == Outcome.Kind.DELIVERED) {
      LOG.debug("delivered {} ({} to {})", e.id(), e.kind(), e.target());
    } else {
      LOG.info("delivery {} ({} to {}) attempt {}: {} ({})", e.id(), e.kind(), e.target(), e.attempts() + 1,
          o.kind().name().toLowerCase(java.util.Locale.ROOT), o.error());
    }
  }
}
