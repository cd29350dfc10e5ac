package dev.skillhost.cluster;

import dev.skillhost.host.api.ApiKeys;
import dev.skillhost.host.store.PgServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * N host processes on one private PostgreSQL database and one shared directory, as {@code make
 * cluster} runs them: every node gets {@code SKILLHOST_STORE_URL} and {@code SKILLHOST_SHARED_DIR},
 * a data directory and a plugins directory of its own (the real plugin jars), the repository's
 * skills, and the same {@code providers:} section. The one API key is written to the shared
 * directory only, where every node must find it.
 */
public final class Cluster implements AutoCloseable {

  /** What a cluster is started with. */
  public static final class Options {
    public int nodes = 3;
    public List<String> plugins = List.of("lovart", "libtv", "nemovideo");
    /** The {@code providers:} section (strings only; see {@link Simulators}). */
    public JsonObject providers = new JsonObject();
    /** Extra JVM arguments of every node, e.g. a plugin's {@code -D} setting. */
    public List<String> jvmArgs = List.of();
    /** Extra environment of every node. */
    public Map<String, String> env = Map.of();

    public Options nodes(int n) { nodes = n; return this; }
    public Options plugins(List<String> ids) { plugins = List.copyOf(ids); return this; }
    public Options providers(JsonObject p) { providers = p.copy(); return this; }
    public Options jvmArgs(List<String> args) { jvmArgs = List.copyOf(args); return this; }
    public Options env(Map<String, String> e) { env = Map.copyOf(e); return this; }
  }

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  public final Path root;
  public final Path shared;
  public final String storeUrl;
  public final String key;
  private final Vertx vertx;
  private final WebClient client;
  private final Options options;
  private final List<HostNode> nodes = new ArrayList<>();

  private Cluster(Vertx vertx, Path root, String storeUrl, String key, Options options) {
    this.vertx = vertx;
    this.root = root;
    this.shared = root.resolve("shared");
    this.storeUrl = storeUrl;
    this.key = key;
    this.options = options;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"),
        new PoolOptions().setHttp1MaxSize(32));
  }

  /** A fresh database and directories under {@code cluster/target/runs/<name>-<time>}, then every node up. */
  public static Cluster start(Vertx vertx, String name, Options options) throws Exception {
    Path root = Repo.root().resolve("cluster/target/runs/" + name + "-" + System.currentTimeMillis());
    Files.createDirectories(root.resolve("shared"));
    String key = ApiKeys.newKey();
    Files.writeString(root.resolve("shared").resolve(ApiKeys.FILE_NAME), key + "\n");
    Cluster c = new Cluster(vertx, root, PgServer.get().newDatabase(), key, options);
    for (int i = 1; i <= options.nodes; i++) {
      c.nodes.add(c.prepare("node" + i));
    }
    for (HostNode n : c.nodes) {
      n.start();
    }
    try {
      for (HostNode n : c.nodes) {
        n.awaitUp(START_TIMEOUT);
      }
      for (HostNode n : c.nodes) {
        c.checkKey(n);
      }
    } catch (Exception | AssertionError e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** A node's directories and config file; the process is started by the caller. */
  private HostNode prepare(String name) throws IOException {
    Path data = Files.createDirectories(root.resolve(name));
    Path plugins = Files.createDirectories(data.resolve("plugins"));
    for (String id : options.plugins) {
      Files.copy(Repo.pluginJar(id), plugins.resolve(id + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    }
    // JSON is YAML: the file is written with Vert.x's encoder, so no path or URL needs quoting by hand
    JsonObject config = new JsonObject()
        // a fixed port per node, kept across restarts: a node advertises its address to the others
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", freePort()))
        .put("data_dir", data.toString())
        .put("plugins_dir", plugins.toString())
        .put("skills", new JsonObject().put("dir", Repo.skills().toString()))
        // a look at a task at most every 2 s, whatever the provider's ETA: the simulators are quick
        .put("polling", new JsonObject().put("min_interval_ms", 200).put("max_interval_ms", 2000))
        // the simulators' CDNs are on 127.0.0.1: results are copied into the shared files as from a real CDN
        .put("net", new JsonObject().put("allow", new JsonArray().add("127.0.0.1")))
        .put("providers", options.providers);
    Path file = data.resolve("skillhost.yaml");
    Files.writeString(file, config.encodePrettily() + "\n");
    Map<String, String> env = new HashMap<>(options.env);
    env.put("SKILLHOST_STORE_URL", storeUrl);
    env.put("SKILLHOST_SHARED_DIR", shared.toString());
    List<String> jvm = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseSerialGC"));
    jvm.addAll(options.jvmArgs);
    return new HostNode(name, data, file, env, jvm);
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Every node must accept the key written to the shared directory. */
  private void checkKey(HostNode n) {
    HttpResponse<Buffer> r = get(n, "/v1/tasks?limit=1").await();
    if (r.statusCode() != 200) {
      throw new AssertionError(n + " refused the API key of the shared directory (" + r.statusCode() + " "
          + r.bodyAsString() + "): does it read SKILLHOST_SHARED_DIR?\n" + n.tail());
    }
  }

  /** Starts a stopped or killed node again on its data directory and waits until it is up. */
  public void restart(HostNode n) throws IOException, InterruptedException {
    n.start();
    n.awaitUp(START_TIMEOUT);
  }

  public List<HostNode> nodes() {
    return List.copyOf(nodes);
  }

  public HostNode node(int i) {
    return nodes.get(i);
  }

  /** Nodes still running. */
  public List<HostNode> alive() {
    return nodes.stream().filter(HostNode::alive).toList();
  }

  public WebClient client() {
    return client;
  }

  public Future<HttpResponse<Buffer>> get(HostNode n, String path) {
    return client.get(n.port(), "127.0.0.1", path).bearerTokenAuthentication(key).send();
  }

  public Future<HttpResponse<Buffer>> post(HostNode n, String path, JsonObject body, String idempotencyKey) {
    var req = client.post(n.port(), "127.0.0.1", path).bearerTokenAuthentication(key);
    if (idempotencyKey != null) {
      req.putHeader("Idempotency-Key", idempotencyKey);
    }
    return req.sendJsonObject(body);
  }

  /** A task's stored events, read from {@code n} (any node answers for every task). */
  public Future<JsonArray> events(HostNode n, String taskId) {
    return client.get(n.port(), "127.0.0.1", "/v1/tasks/" + taskId + "/events").bearerTokenAuthentication(key)
        .putHeader("Accept", "application/json").send().map(r -> {
          if (r.statusCode() != 200) {
            throw new IllegalStateException("events of " + taskId + " on " + n + ": " + r.statusCode() + " " + r.bodyAsString());
          }
          return r.bodyAsJsonArray();
        });
  }

  /** Every node's log tail, for a failure message. */
  public String logs() {
    StringBuilder b = new StringBuilder();
    for (HostNode n : nodes) {
      b.append("---- ").append(n).append(n.alive() ? "" : " (dead)").append(" ").append(n.log).append('\n')
          .append(n.tail()).append('\n');
    }
    return b.toString();
  }

  @Override
  public void close() throws InterruptedException {
    for (HostNode n : nodes) {
      n.terminate();
    }
    for (HostNode n : nodes) {
      n.stop();
    }
    client.close();
  }

  Vertx vertx() {
    return vertx;
  }
}
