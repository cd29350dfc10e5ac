package dev.skillhost.host.boot;

import dev.skillhost.host.boot.ConfigLoader.ConfigException;
import dev.skillhost.host.net.AddressPolicy;
import dev.skillhost.host.store.StoreUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The environment over the config file: {@code SKILLHOST_HTTP_PORT}, {@code SKILLHOST_STORE_URL}, …
 * (listed in the README's Configuration section). A variable that is set wins over the file; a bad value is refused naming
 * the variable, as the file's mistakes name their line.
 */
final class EnvOverrides {

  private EnvOverrides() {}

  /** {@code config} with every {@code SKILLHOST_*} variable set in {@code env} applied over it. */
  static HostConfig apply(HostConfig config, Map<String, String> env) throws ConfigException {
    HostConfig.Http http = config.http();
    if (env.containsKey("SKILLHOST_HTTP_HOST")) {
      http = new HostConfig.Http(env.get("SKILLHOST_HTTP_HOST"), http.port(), http.bodyLimit());
    }
    if (env.containsKey("SKILLHOST_HTTP_PORT")) {
      http = new HostConfig.Http(http.host(), (int) envNumber(env, "SKILLHOST_HTTP_PORT", 0, 65535), http.bodyLimit());
    }
    config = config.withHttp(http);
    if (env.containsKey("SKILLHOST_DATA_DIR")) {
      Path data = Path.of(env.get("SKILLHOST_DATA_DIR"));
      config = config.withDirs(data, env.containsKey("SKILLHOST_PLUGINS_DIR") ? config.pluginsDir() : data.resolve("plugins"));
    }
    if (env.containsKey("SKILLHOST_STORE_URL") || env.containsKey("SKILLHOST_SHARED_DIR")) {
      HostConfig.Store st = config.store();
      String url = env.getOrDefault("SKILLHOST_STORE_URL", st.url());
      if (url != null && url.isBlank()) {
        url = null;
      }
      if (url != null) {
        try {
          StoreUrl.parse(url);
        } catch (IllegalArgumentException e) {
          throw new ConfigException("SKILLHOST_STORE_URL: " + e.getMessage());
        }
      }
      config = config.withStore(new HostConfig.Store(url,
          env.containsKey("SKILLHOST_SHARED_DIR") ? Path.of(env.get("SKILLHOST_SHARED_DIR")) : st.sharedDir(), st.lease()));
    }
    if (env.containsKey("SKILLHOST_PLUGINS_DIR")) {
      config = config.withDirs(config.dataDir(), Path.of(env.get("SKILLHOST_PLUGINS_DIR")));
    }
    if (env.containsKey("SKILLHOST_SKILLS_DIR")) {
      config = config.withSkills(new HostConfig.Skills(Path.of(env.get("SKILLHOST_SKILLS_DIR")), config.skills().prefer(),
          config.skills().fallback()));
    }
    if (env.containsKey("SKILLHOST_UPLOAD_MAX_BYTES")) {
      config = config.withUploads(new HostConfig.Uploads(envNumber(env, "SKILLHOST_UPLOAD_MAX_BYTES", 1, 1L << 40)));
    }
    if (env.containsKey("SKILLHOST_METRICS_HOST")) {
      String host = env.get("SKILLHOST_METRICS_HOST").strip();
      config = config.withMetrics(host.isEmpty() ? HostConfig.Metrics.ON_API : new HostConfig.Metrics(host,
          env.containsKey("SKILLHOST_METRICS_PORT") ? (int) envNumber(env, "SKILLHOST_METRICS_PORT", 0, 65535)
              : config.metrics().separate() ? config.metrics().port() : HostConfig.DEFAULT_METRICS_PORT));
    } else if (env.containsKey("SKILLHOST_METRICS_PORT") && config.metrics().separate()) {
      config = config.withMetrics(new HostConfig.Metrics(config.metrics().host(),
          (int) envNumber(env, "SKILLHOST_METRICS_PORT", 0, 65535)));
    }
    return envFetch(config, env);
  }

  private static HostConfig envFetch(HostConfig config, Map<String, String> env) throws ConfigException {
    HostConfig.Fetch f = config.fetch();
    List<String> allow = f.allow();
    if (env.containsKey("SKILLHOST_FETCH_ALLOW")) {
      allow = Arrays.stream(env.get("SKILLHOST_FETCH_ALLOW").split(",")).map(String::strip)
          .filter(s -> !s.isEmpty()).toList();
      try {
        AddressPolicy.allowing(allow);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("SKILLHOST_FETCH_ALLOW: " + e.getMessage());
      }
    }
    config = config.withFetch(new HostConfig.Fetch(allow,
        env.containsKey("SKILLHOST_FETCH_MAX_BYTES") ? envNumber(env, "SKILLHOST_FETCH_MAX_BYTES", 1, 1L << 40) : f.maxBytes(),
        env.containsKey("SKILLHOST_FETCH_TIMEOUT_S")
            ? Duration.ofSeconds(envNumber(env, "SKILLHOST_FETCH_TIMEOUT_S", 1, 86_400)) : f.timeout(),
        env.containsKey("SKILLHOST_FETCH_FIRST_BYTE_S")
            ? Duration.ofSeconds(envNumber(env, "SKILLHOST_FETCH_FIRST_BYTE_S", 1, 3_600)) : f.firstByte(),
        f.contentTypes()));
    HostConfig.Outputs o = config.outputs();
    return config.withOutputs(new HostConfig.Outputs(
        env.containsKey("SKILLHOST_OUTPUTS_KEEP_DAYS")
            ? Duration.ofDays(envNumber(env, "SKILLHOST_OUTPUTS_KEEP_DAYS", 0, 36_500)) : o.keepFor(),
        env.containsKey("SKILLHOST_LINK_TTL_S") ? Duration.ofSeconds(envNumber(env, "SKILLHOST_LINK_TTL_S", 10, 7 * 86_400))
            : o.linkTtl()));
  }

  private static long envNumber(Map<String, String> env, String name, long min, long max) throws ConfigException {
    try {
      long v = Long.parseLong(env.get(name).strip());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw new ConfigException(name + " must be a whole number from " + min + " to " + max + ", not '" + env.get(name) + "'");
  }
}
