package dev.skillhost.host.boot;

import dev.skillhost.host.skills.Router;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything the host is configured with: one YAML file plus environment overrides, read once at
 * boot by {@link ConfigLoader} and passed down explicitly.
 *
 * @param http      where the API listens
 * @param dataDir   tasks database, files, keys, provider data
 * @param pluginsDir the watched directory of provider plugin jars
 * @param uploads   upload limits
 * @param polling   the shared poll scheduler's bounds
 * @param skills    where the skill manifests are and which skill wins when several match
 * @param providers per-provider sections ({@code providers.<id>}), handed to each provider (or channel) as its config
 * @param net       which non-public addresses the host may reach on a user's behalf (webhooks, fetches)
 * @param outbox    how webhooks and channel deliveries are retried
 * @param fetch     limits of every outbound fetch made on a user's behalf (URL inputs, provider outputs)
 * @param outputs   how long kept outputs live and how long signed file links work
 * @param metrics   where {@code /metrics} is served: on the API behind the key, or on an address of its own
 * @param store     which task store (SQLite in the data dir, or PostgreSQL shared by several hosts)
 */
public record HostConfig(Http http, Path dataDir, Path pluginsDir, Uploads uploads, Polling polling, Skills skills,
    Map<String, JsonObject> providers, Net net, Outbox outbox, Fetch fetch, Outputs outputs, Metrics metrics,
    Store store) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_BODY_LIMIT = 1024 * 1024;
  public static final long DEFAULT_UPLOAD_MAX = 200L * 1024 * 1024;
  public static final Path DEFAULT_DATA_DIR = Path.of("data");
  /** The separate metrics listener's port when {@code metrics.host} is set without one. */
  public static final int DEFAULT_METRICS_PORT = 9464;

  /**
   * @param host      address to bind
   * @param port      port; 0 picks a free one
   * @param bodyLimit largest JSON request body, bytes
   */
  public record Http(String host, int port, long bodyLimit) {}

  /** @param maxBytes largest upload, bytes */
  public record Uploads(long maxBytes) {}

  /**
   * @param minInterval shortest time between two looks at one task
   * @param maxInterval longest time between two looks at one task
   * @param maxFailures consecutive transient faults before a task fails
   */
  public record Polling(Duration minInterval, Duration maxInterval, int maxFailures) {}

  /**
   * @param dir      the watched directory of skill manifests
   * @param prefer   skill ids in order of preference when several can serve a request
   * @param fallback per skill id, the skills its tasks move to (in order) when its backend refuses
   *                 them before anything was spent; replaces that manifest's own {@code fallback:}
   *                 list ({@code []} turns fallback off for it). Skills not named keep their manifest's.
   */
  public record Skills(Path dir, List<String> prefer, Map<String, List<String>> fallback) {
    /** Local work first, the cloud backends next, the simulator last. */
    public static final List<String> DEFAULT_PREFER = Router.DEFAULT_PREFERENCE;

    public Skills {
      prefer = List.copyOf(prefer);
      Map<String, List<String>> copy = new java.util.LinkedHashMap<>();
      fallback.forEach((k, v) -> copy.put(k, List.copyOf(v)));
      fallback = java.util.Collections.unmodifiableMap(copy);
    }

    /** Every manifest's own {@code fallback:} list applies. */
    public Skills(Path dir, List<String> prefer) {
      this(dir, prefer, Map.of());
    }
  }

  /**
   * @param allow address ranges (CIDR, or a bare address) allowed although not public, e.g.
   *              {@code 127.0.0.1} for tests; empty by default: public unicast only
   */
  public record Net(List<String> allow) {
    public Net {
      allow = List.copyOf(allow);
    }
  }

  /**
   * @param retrySchedule delay before each attempt: the first is the delay before the first try,
   *                      so the size is the most attempts a delivery gets
   * @param pollInterval  how often the outbox looks for deliveries that are due
   * @param timeout       how long one attempt may take
   */
  public record Outbox(List<Duration> retrySchedule, Duration pollInterval, Duration timeout) {
    /** The Standard Webhooks schedule: now, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about a day). */
    public static final List<Duration> DEFAULT_SCHEDULE = List.of(Duration.ZERO, Duration.ofSeconds(5),
        Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
        Duration.ofHours(10));
    public static final Duration DEFAULT_POLL = Duration.ofMillis(250);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    public Outbox {
      retrySchedule = List.copyOf(retrySchedule);
      if (retrySchedule.isEmpty()) {
        throw new IllegalArgumentException("the retry schedule needs at least one entry");
      }
    }
  }

  /**
   * @param allow        address ranges fetches (only) may reach although they are not public, on top of
   *                     {@code net.allow} (CIDRs such as {@code 127.0.0.1/32}); empty: net.allow only
   * @param maxBytes     largest body fetched, bytes
   * @param timeout      longest a whole fetch (redirects included) may take
   * @param firstByte    longest to wait for a response's head, and between two chunks of its body
   * @param contentTypes accepted Content-Type headers ({@code image/*} style); the bytes are sniffed anyway
   */
  public record Fetch(List<String> allow, long maxBytes, Duration timeout, Duration firstByte, List<String> contentTypes) {
    public static final long DEFAULT_MAX_BYTES = 1024L * 1024 * 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);
    public static final Duration DEFAULT_FIRST_BYTE = Duration.ofSeconds(30);
    /** Media, plus the generic types CDNs often label media with. */
    public static final List<String> DEFAULT_CONTENT_TYPES = List.of("image/*", "video/*", "audio/*",
        "application/octet-stream", "binary/octet-stream", "application/mp4");

    public Fetch {
      allow = List.copyOf(allow);
      contentTypes = List.copyOf(contentTypes);
    }
  }

  /**
   * @param keepFor how long a kept output stays in the store; {@link Duration#ZERO} keeps it forever
   * @param linkTtl how long a signed file link ({@code /v1/files/{id}?exp=&sig=}) works
   */
  public record Outputs(Duration keepFor, Duration linkTtl) {
    public static final Duration DEFAULT_LINK_TTL = Duration.ofHours(1);
  }

  /**
   * @param host where a separate metrics listener binds, or null to serve {@code /metrics} on the
   *             API's own address behind the API key (the default)
   * @param port that listener's port (0 picks a free one); ignored when {@code host} is null.
   *             The separate listener asks for no key: bind it to an address only the scraper reaches.
   */
  public record Metrics(String host, int port) {
    /** {@code /metrics} on the API, behind the key. */
    public static final Metrics ON_API = new Metrics(null, 0);

    /** Whether a listener of its own serves the metrics. */
    public boolean separate() {
      return host != null;
    }
  }

  /**
   * @param url       {@code postgres://user:password@host:port/db} for PostgreSQL; null: SQLite at
   *                  {@code <data>/skillhost.db}, the embedded default (one host only)
   * @param sharedDir what every host of a cluster must see (files, API keys, the file-link secret,
   *                  provider state); null: the data dir
   * @param lease     how long a host's lease on its tasks lasts without renewal: another host takes
   *                  them over once it lapses (it is renewed every fifth of it)
   */
  public record Store(String url, Path sharedDir, Duration lease) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(5);
    public static final Store EMBEDDED = new Store(null, null, DEFAULT_LEASE);

    /** Whether the tasks live in PostgreSQL (several hosts may share them). */
    public boolean postgres() {
      return url != null;
    }
  }

  public HostConfig {
    providers = Map.copyOf(providers);
  }

  /** Without the metrics section: {@code /metrics} on the API. */
  public HostConfig(Http http, Path dataDir, Path pluginsDir, Uploads uploads, Polling polling, Skills skills,
      Map<String, JsonObject> providers, Net net, Outbox outbox, Fetch fetch, Outputs outputs) {
    this(http, dataDir, pluginsDir, uploads, polling, skills, providers, net, outbox, fetch, outputs, Metrics.ON_API);
  }

  /** Without the store section: SQLite in the data dir, nothing shared. */
  public HostConfig(Http http, Path dataDir, Path pluginsDir, Uploads uploads, Polling polling, Skills skills,
      Map<String, JsonObject> providers, Net net, Outbox outbox, Fetch fetch, Outputs outputs, Metrics metrics) {
    this(http, dataDir, pluginsDir, uploads, polling, skills, providers, net, outbox, fetch, outputs, metrics,
        Store.EMBEDDED);
  }

  /** Without the net, outbox, fetch and outputs sections: their defaults. */
  public HostConfig(Http http, Path dataDir, Path pluginsDir, Uploads uploads, Polling polling, Skills skills,
      Map<String, JsonObject> providers) {
    this(http, dataDir, pluginsDir, uploads, polling, skills, providers, new Net(List.of()),
        new Outbox(Outbox.DEFAULT_SCHEDULE, Outbox.DEFAULT_POLL, Outbox.DEFAULT_TIMEOUT),
        new Fetch(List.of(), Fetch.DEFAULT_MAX_BYTES, Fetch.DEFAULT_TIMEOUT, Fetch.DEFAULT_FIRST_BYTE,
            Fetch.DEFAULT_CONTENT_TYPES),
        new Outputs(Duration.ZERO, Outputs.DEFAULT_LINK_TTL));
  }

  /** Defaults: {@code 127.0.0.1:8080}, data in {@code ./data}, plugins in {@code ./data/plugins}. */
  public static HostConfig defaults() {
    return new HostConfig(new Http(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_BODY_LIMIT), DEFAULT_DATA_DIR,
        DEFAULT_DATA_DIR.resolve("plugins"), new Uploads(DEFAULT_UPLOAD_MAX),
        new Polling(Duration.ofSeconds(2), Duration.ofSeconds(60), 30),
        new Skills(Path.of("skills"), Skills.DEFAULT_PREFER), Map.of());
  }

  public HostConfig withHttp(Http next) {
    return new HostConfig(next, dataDir, pluginsDir, uploads, polling, skills, providers, net, outbox, fetch, outputs, metrics, store);
  }

  public HostConfig withDirs(Path data, Path plugins) {
    return new HostConfig(http, data, plugins, uploads, polling, skills, providers, net, outbox, fetch, outputs, metrics, store);
  }

  public HostConfig withUploads(Uploads next) {
    return new HostConfig(http, dataDir, pluginsDir, next, polling, skills, providers, net, outbox, fetch, outputs, metrics, store);
  }

  public HostConfig withPolling(Polling next) {
    return new HostConfig(http, dataDir, pluginsDir, uploads, next, skills, providers, net, outbox, fetch, outputs, metrics, store);
  }

  public HostConfig withSkills(Skills next) {
    return new HostConfig(http, dataDir, pluginsDir, uploads, polling, next, providers, net, outbox, fetch, outputs, metrics, store);
  }

  public HostConfig withProviders(Map<String, JsonObject> next) {
    return new HostConfig(http, dataDir, pluginsDir, uploads, polling, skills, next, net, outbox, fetch, outputs, metrics, store);
  }

  public HostConfig withNet(Net next) {
    return new HostConfig(http, dataDir, pluginsDir, uploads, polling, skills, providers, next, outbox, fetch, outputs, metrics, store);
  }

  public HostConfig withOutbox(Outbox next) {
    return new HostConfig(http, dataDir, pluginsDir, uploads, polling, skills, providers, net, next, fetch, outputs, metrics, store);
  }

  public HostConfig withFetch(Fetch next) {
    return new HostConfig(http, dataDir, pluginsDir, uploads, polling, skills, providers, net, outbox, next, outputs, metrics, store);
  }

  public HostConfig withMetrics(Metrics next) {
    return new HostConfig(http, dataDir, pluginsDir, uploads, polling, skills, providers, net, outbox, fetch, outputs, next, store);
  }

  public HostConfig withStore(Store next) {
    return new HostConfig(http, dataDir, pluginsDir, uploads, polling, skills, providers, net, outbox, fetch, outputs, metrics, next);
  }

  /** Where what every node must see lives: the shared directory, else the data dir. */
  public Path sharedDir() {
    return store.sharedDir() != null ? store.sharedDir() : dataDir;
  }

  public HostConfig withOutputs(Outputs next) {
    return new HostConfig(http, dataDir, pluginsDir, uploads, polling, skills, providers, net, outbox, fetch, next, metrics, store);
  }
}
