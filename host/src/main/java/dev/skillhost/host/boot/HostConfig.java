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
 * @param providers per-provider sections ({@code providers.<id>}), handed to each provider as its config
 */
public record HostConfig(Http http, Path dataDir, Path pluginsDir, Uploads uploads, Polling polling, Skills skills,
    Map<String, JsonObject> providers) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_BODY_LIMIT = 1024 * 1024;
  public static final long DEFAULT_UPLOAD_MAX = 200L * 1024 * 1024;
  public static final Path DEFAULT_DATA_DIR = Path.of("data");

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
   * @param dir    the watched directory of skill manifests
   * @param prefer skill ids in order of preference when several can serve a request
   */
  public record Skills(Path dir, List<String> prefer) {
    /** Local work first, the cloud backends next, the simulator last. */
    public static final List<String> DEFAULT_PREFER = Router.DEFAULT_PREFERENCE;

    public Skills {
      prefer = List.copyOf(prefer);
    }
  }

  public HostConfig {
    providers = Map.copyOf(providers);
  }

  /** Defaults: {@code 127.0.0.1:8080}, data in {@code ./data}, plugins in {@code ./data/plugins}. */
  public static HostConfig defaults() {
    return new HostConfig(new Http(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_BODY_LIMIT), DEFAULT_DATA_DIR,
        DEFAULT_DATA_DIR.resolve("plugins"), new Uploads(DEFAULT_UPLOAD_MAX),
        new Polling(Duration.ofSeconds(2), Duration.ofSeconds(60), 30),
        new Skills(Path.of("skills"), Skills.DEFAULT_PREFER), Map.of());
  }

  public HostConfig withHttp(Http next) {
    return new HostConfig(next, dataDir, pluginsDir, uploads, polling, skills, providers);
  }

  public HostConfig withDirs(Path data, Path plugins) {
    return new HostConfig(http, data, plugins, uploads, polling, skills, providers);
  }

  public HostConfig withUploads(Uploads next) {
    return new HostConfig(http, dataDir, pluginsDir, next, polling, skills, providers);
  }

  public HostConfig withPolling(Polling next) {
    return new HostConfig(http, dataDir, pluginsDir, uploads, next, skills, providers);
  }

  public HostConfig withSkills(Skills next) {
    return new HostConfig(http, dataDir, pluginsDir, uploads, polling, next, providers);
  }

  public HostConfig withProviders(Map<String, JsonObject> next) {
    return new HostConfig(http, dataDir, pluginsDir, uploads, polling, skills, next);
  }
}
