package dev.skillhost.host.boot;

import dev.skillhost.host.api.ApiKeys;
import dev.skillhost.host.api.FileLinks;
import dev.skillhost.host.metrics.HostMetrics;
import dev.skillhost.host.net.AddressPolicy;
import dev.skillhost.host.net.SafeFetcher;
import dev.skillhost.host.api.HttpApiVerticle;
import dev.skillhost.host.net.AddressPolicy;
import dev.skillhost.host.outbox.OutboxVerticle;
import dev.skillhost.host.plugins.HostProviderContext;
import dev.skillhost.host.plugins.LiveProvider;
import dev.skillhost.host.plugins.PluginHost;
import dev.skillhost.host.plugins.PluginHostOptions;
import dev.skillhost.host.skills.Router;
import dev.skillhost.host.skills.SkillRegistry;
import dev.skillhost.host.skills.SkillRegistryOptions;
import dev.skillhost.host.store.Database;
import dev.skillhost.host.store.StoreUrl;
import dev.skillhost.host.cluster.ClusterVerticle;
import dev.skillhost.host.store.FileStore;
import dev.skillhost.host.store.HostArtifacts;
import dev.skillhost.host.store.TaskStore;
import dev.skillhost.host.tasks.SkillLookup;
import dev.skillhost.host.tasks.TaskEngineVerticle;
import dev.skillhost.host.tasks.SkillTextRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A running host: store, plugins, task engine and API, started in that order (a failed step
 * stops the boot) and stopped in reverse.
 */
public final class Host {

  public static final String VERSION = "0.1.0";

  private final Vertx vertx;
  private final HostConfig config;
  private Database db;
  private ApiKeys keys;
  private HttpClient http;
  private SafeFetcher fetcher;
  private FileLinks links;
  private PluginHost plugins;
  private SkillRegistry skills;
  private Router router;
  private TaskEngineVerticle engine;
  private OutboxVerticle outbox;
  private HttpApiVerticle api;
  private String engineId;
  private ClusterVerticle cluster;
  private dev.skillhost.host.tasks.RateLedger rateLedger;
  private String clusterId;
  private String outboxId;
  private String apiId;
  private long sweepTimer = -1;
  private long gaugeTimer = -1;
  private final HostMetrics metrics;
  private TaskStore tasks;
  /** This process's node id in the store: its tasks' watcher, its outbox claims' holder. */
  private final String node = dev.skillhost.host.cluster.Node.newId();

  private Host(Vertx vertx, HostConfig config, HostMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
  }

  /** Starts a host on {@code vertx} with meters of its own (Vert.x's server metrics not among them). */
  public static Future<Host> start(Vertx vertx, HostConfig config) {
    return start(vertx, config, HostMetrics.create());
  }

  /**
   * Starts a host on {@code vertx} that counts into {@code metrics}; build the {@code Vertx} with
   * the same registry ({@link Main} does) for Vert.x's own HTTP server metrics on {@code /metrics}.
   */
  public static Future<Host> start(Vertx vertx, HostConfig config, HostMetrics metrics) {
    Host host = new Host(vertx, config, metrics);
    return host.boot().map(host).recover(e -> host.close().transform(v -> Future.failedFuture(e)));
  }

  /**
   * What every node of a cluster must see alike: files/ and tmp/ (the file store's bytes and its
   * scratch space, one disk so moves stay renames), the API keys, the file-link and webhook
   * secrets, and providers/&lt;id&gt;/ (provider state such as a login token). The data directory
   * keeps what is the node's own: the SQLite file and unpacked plugins.
   */
  private Path shared() {
    return config.sharedDir();
  }

  private Future<Void> boot() {
    Path data = config.dataDir();
    Path shared = shared();
    return vertx.executeBlocking(() -> {
          Files.createDirectories(data);
          Files.createDirectories(shared);
          Files.createDirectories(config.pluginsDir());
          db = Database.open(vertx, config.store().postgres() ? StoreUrl.parse(config.store().url())
              : StoreUrl.sqlite(data.resolve("skillhost.db")));
          db.onGroupCommit(metrics::writeGroup);
          if (db.postgres()) {
            // upstream limits shared by every host on this database (a connection of its own)
            rateLedger = dev.skillhost.host.tasks.RateLedger.open(vertx, db::openConnection);
          }
          keys = ApiKeys.loadOrCreate(shared);
          links = FileLinks.loadOrCreate(shared, config.outputs().linkTtl(), Clock.systemUTC());
          return db;
        })
        .compose(d -> FileStore.open(vertx, d, shared.resolve("files"), shared.resolve("tmp")))
        .map(files -> {
          HostConfig.Fetch f = config.fetch();
          // net.allow holds for everything the host reaches for users; fetch.allow adds fetches only
          List<String> allow = new java.util.ArrayList<>(config.net().allow());
          allow.addAll(f.allow());
          fetcher = new SafeFetcher(vertx, files, AddressPolicy.allowing(allow),
              new SafeFetcher.Limits(f.maxBytes(), f.timeout(), f.firstByte(), f.contentTypes(), false));
          return files;
        })
        .compose(files -> TaskStore.open(db, node).onSuccess(t -> this.tasks = t).compose(tasks -> startPlugins(files)
            .compose(p -> startSkills())
            .compose(s -> startOutbox(tasks))
            .compose(o -> startEngine(tasks, files))
            .compose(e -> startApi(files))
            .onSuccess(a -> sweepKeptOutputs(files))
            .onSuccess(a -> refreshGauges())))
        .mapEmpty();
  }

  /** With {@code outputs.keep_days} set, removes older kept outputs now and then (the work runs off the event loop). */
  private void sweepKeptOutputs(FileStore files) {
    Duration keep = config.outputs().keepFor();
    if (keep.isZero()) {
      return;
    }
    long every = Math.max(60_000, Math.min(keep.toMillis() / 4, 3_600_000));
    sweepTimer = vertx.setPeriodic(1, every, t -> files.sweepKept(System.currentTimeMillis() - keep.toMillis())
        .onSuccess(n -> {
          if (n > 0) {
            org.slf4j.LoggerFactory.getLogger(Host.class).info("removed {} kept outputs older than {}", n, keep);
          }
        })
        .onFailure(e -> org.slf4j.LoggerFactory.getLogger(Host.class).warn("output retention sweep failed", e)));
  }

  /**
   * Gauges that need counting (open tasks by state, from the engine's memory; the outbox backlog,
   * on a store thread) are refreshed every few seconds, never per scrape: a scrape only reads the
   * last counts.
   */
  private void refreshGauges() {
    metrics.beforeScrape(engine::updateGauges);
    gaugeTimer = vertx.setPeriodic(0, HostMetrics.DEFAULT_REFRESH.toMillis(), t -> Future.all(
            engine.openCounts().onSuccess(metrics::tasks),
            outbox.backlog().onSuccess(metrics::outboxBacklog))
        .onFailure(e -> org.slf4j.LoggerFactory.getLogger(Host.class).debug("metrics gauges not refreshed: {}", e.toString())));
  }

  private Future<PluginHost> startPlugins(FileStore files) {
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    HostArtifacts artifacts = new HostArtifacts(files);
    Map<String, HostProviderContext> contexts = new ConcurrentHashMap<>();
    // One context per provider id, kept across plugin swaps so a new version sees the same data;
    // its client is the shared one, metered under the provider's id.
    PluginHostOptions options = new PluginHostOptions(config.pluginsDir(), config.dataDir().resolve("plugin-work"),
        VERSION, id -> contexts.computeIfAbsent(id, k -> new HostProviderContext(vertx, metrics.meter(http, k),
            config.providers().getOrDefault(k, new JsonObject()), artifacts,
            shared().resolve("providers").resolve(k), Clock.systemUTC(), k)),
        Duration.ofMillis(400));
    return PluginHost.start(vertx, options).onSuccess(p -> plugins = p);
  }

  private Future<SkillRegistry> startSkills() {
    return SkillRegistry.start(vertx, new SkillRegistryOptions(config.skills().dir(),
            id -> plugins.provider(id).map(LiveProvider::info), SkillRegistryOptions.DEFAULT_DEBOUNCE))
        .onSuccess(r -> {
          skills = r;
          router = new Router(r::skills, plugins::provider, config.skills().prefer());
        });
  }

  /** Before the engine: the outbox must be hooked into the task store before any task is written. */
  private Future<String> startOutbox(TaskStore tasks) {
    HostConfig.Outbox o = config.outbox();
    return OutboxVerticle.create(vertx, tasks, plugins, AddressPolicy.allowing(config.net().allow()), shared(),
            new OutboxVerticle.Options(o.retrySchedule(), o.pollInterval(), o.timeout(),
                OutboxVerticle.Options.DEFAULT_MAX_IN_FLIGHT, node), Clock.systemUTC())
        .compose(v -> {
          outbox = v;
          return vertx.deployVerticle(v);
        })
        .onSuccess(id -> outboxId = id);
  }

  private Future<String> startEngine(TaskStore tasks, FileStore files) {
    HostConfig.Polling p = config.polling();
    SkillLookup lookup = SkillLookup.of(skills::skills);
    engine = new TaskEngineVerticle(tasks, files, plugins, lookup, new SkillTextRouter(router, lookup),
        new TaskEngineVerticle.Options(p.minInterval(), p.maxInterval(), p.maxFailures()), Clock.systemUTC());
    engine.fetcher(fetcher);
    engine.fileLinks(links::link);
    engine.metrics(metrics);
    engine.fallbacks(config.skills().fallback());
    engine.lease(config.store().lease(), config.http().host() + ":" + config.http().port());
    if (rateLedger != null) {
      engine.rateLedger(rateLedger);
    }
    if (!db.postgres()) {
      return vertx.deployVerticle(engine).onSuccess(id -> engineId = id);
    }
    // several hosts: events of tasks other nodes watch reach this node's streams, and commands for
    // them go to their node (LISTEN/NOTIFY on the shared database); the hook precedes every task write
    cluster = new ClusterVerticle(node, db::openConnection, tasks::events,
        id -> tasks.claims().watcher(id, System.currentTimeMillis()), tasks::get,
        (command, owner, id) -> engine.commandHere(command, owner, id));
    tasks.addHook(cluster.hook());
    engine.forwarder(cluster);
    return vertx.deployVerticle(engine).onSuccess(id -> engineId = id)
        .compose(id -> vertx.deployVerticle(cluster).onSuccess(c -> clusterId = c).map(id));
  }

  private Future<String> startApi(FileStore files) {
    HostConfig.Http h = config.http();
    api = new HttpApiVerticle(new HttpApiVerticle.Options(h.host(), h.port(), h.bodyLimit(),
        config.uploads().maxBytes(), VERSION), engine, plugins, files, keys, skills, router, outbox);
    api.fetching(fetcher, links);
    HostConfig.Metrics m = config.metrics();
    api.metrics(metrics, m.separate() ? m.host() : null, m.port());
    api.storeWrite(tasks::probeWrite);
    return vertx.deployVerticle(api).onSuccess(id -> {
      apiId = id;
      engine.publicBase("http://" + h.host() + ":" + api.port());
    });
  }

  /** The API's router, as started (for tests that hold the API document to it). */
  public io.vertx.ext.web.Router apiRouter() {
    return api.router();
  }

  /** The port the API listens on. */
  public int port() {
    return api.port();
  }

  /** This host's node id in the store (the watcher recorded on the tasks it looks after). */
  public String node() {
    return engine.node();
  }

  /** The separate metrics listener's port, or -1 when {@code /metrics} is served on the API. */
  public int metricsPort() {
    return api.metricsPort();
  }

  public HostMetrics metrics() {
    return metrics;
  }

  public HostConfig config() {
    return config;
  }

  /** The API key created on this start, if the data directory had none. */
  public Optional<String> createdKey() {
    return keys == null ? Optional.empty() : keys.createdKey();
  }

  public TaskEngineVerticle engine() {
    return engine;
  }

  public PluginHost plugins() {
    return plugins;
  }

  public SkillRegistry skills() {
    return skills;
  }

  public OutboxVerticle outbox() {
    return outbox;
  }

  /** Stops the API, the engine, the outbox, the plugins and the store, in that order. */
  public Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(gaugeTimer);
    metrics.beforeScrape(io.vertx.core.Future::succeededFuture); // the engine is going
    Future<Void> f = Future.succeededFuture();
    if (apiId != null) f = f.compose(v -> vertx.undeploy(apiId));
    if (engineId != null) f = f.compose(v -> vertx.undeploy(engineId));
    if (clusterId != null) f = f.compose(v -> vertx.undeploy(clusterId));
    if (outboxId != null) f = f.compose(v -> vertx.undeploy(outboxId));
    return f.eventually(() -> {
          if (skills != null) {
            skills.close();
          }
          return Future.succeededFuture();
        })
        .eventually(() -> plugins == null ? Future.succeededFuture() : plugins.close())
        .eventually(() -> http == null ? Future.succeededFuture() : http.close())
        .eventually(() -> fetcher == null ? Future.succeededFuture() : fetcher.close())
        .eventually(() -> db == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
          if (rateLedger != null) {
            rateLedger.close();
          }
          db.close();
          return null;
        }))
        .mapEmpty();
  }
}
