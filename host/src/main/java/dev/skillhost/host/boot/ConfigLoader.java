package dev.skillhost.host.boot;

import dev.skillhost.host.net.AddressPolicy;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads {@link HostConfig} from a YAML file (node tree, so every mistake has a line and column)
 * and then environment overrides ({@link EnvOverrides}). Mistakes are
 * {@link ConfigException}s of the form {@code file:line:column: message}.
 */
public final class ConfigLoader {

  /** A configuration mistake, already worded for the person who made it. */
  public static final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
      super(message, null, false, false);
    }
  }

  private static final Set<String> TOP = Set.of("http", "data_dir", "plugins_dir", "uploads", "polling", "skills", "providers",
      "net", "outbox", "fetch", "outputs", "metrics", "store");
  private static final int MAX_CONFIG_BYTES = 1024 * 1024;

  private final String file;

  private ConfigLoader(String file) {
    this.file = file;
  }

  /** Loads {@code file} (if not null) over the defaults, then applies {@code env}. */
  public static HostConfig load(Path file, Map<String, String> env) throws ConfigException {
    HostConfig config = HostConfig.defaults();
    if (file != null) {
      config = new ConfigLoader(file.toString()).read(file, config);
    }
    return EnvOverrides.apply(config, env);
  }

  private HostConfig read(Path path, HostConfig config) throws ConfigException {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(20);
    options.setCodePointLimit(MAX_CONFIG_BYTES);
    Node root;
    try (Reader reader = Files.newBufferedReader(path)) {
      root = new Yaml(options).compose(reader);
    } catch (MarkedYAMLException e) {
      throw new ConfigException(file + ":" + (e.getProblemMark().getLine() + 1) + ":" + (e.getProblemMark().getColumn() + 1)
          + ": " + e.getProblem());
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
    if (root == null) {
      return config;
    }
    Map<String, Node> top = mapping(root, TOP);
    if (top.containsKey("http")) {
      Map<String, Node> http = mapping(top.get("http"), Set.of("host", "port", "body_limit"));
      config = config.withHttp(new HostConfig.Http(
          http.containsKey("host") ? text(http.get("host")) : config.http().host(),
          http.containsKey("port") ? (int) number(http.get("port"), 0, 65535) : config.http().port(),
          http.containsKey("body_limit") ? number(http.get("body_limit"), 1024, 64L << 20) : config.http().bodyLimit()));
    }
    Path data = top.containsKey("data_dir") ? Path.of(text(top.get("data_dir"))) : config.dataDir();
    Path plugins = top.containsKey("plugins_dir") ? Path.of(text(top.get("plugins_dir"))) : data.resolve("plugins");
    config = config.withDirs(data, plugins);
    if (top.containsKey("uploads")) {
      Map<String, Node> up = mapping(top.get("uploads"), Set.of("max_bytes"));
      if (up.containsKey("max_bytes")) {
        config = config.withUploads(new HostConfig.Uploads(number(up.get("max_bytes"), 1, 1L << 40)));
      }
    }
    if (top.containsKey("polling")) {
      Map<String, Node> p = mapping(top.get("polling"), Set.of("min_interval_ms", "max_interval_ms", "max_failures"));
      HostConfig.Polling d = config.polling();
      config = config.withPolling(new HostConfig.Polling(
          p.containsKey("min_interval_ms") ? Duration.ofMillis(number(p.get("min_interval_ms"), 10, 3_600_000)) : d.minInterval(),
          p.containsKey("max_interval_ms") ? Duration.ofMillis(number(p.get("max_interval_ms"), 10, 3_600_000)) : d.maxInterval(),
          p.containsKey("max_failures") ? (int) number(p.get("max_failures"), 1, 10_000) : d.maxFailures()));
    }
    if (top.containsKey("skills")) {
      Map<String, Node> sk = mapping(top.get("skills"), Set.of("dir", "prefer", "fallback"));
      List<String> prefer = config.skills().prefer();
      if (sk.containsKey("prefer")) {
        if (!(sk.get("prefer") instanceof org.yaml.snakeyaml.nodes.SequenceNode seq)) {
          throw at(sk.get("prefer"), "expected a list of skill ids, e.g. [local, chatart]");
        }
        List<String> ids = new java.util.ArrayList<>();
        for (Node n : seq.getValue()) {
          ids.add(text(n));
        }
        prefer = ids;
      }
      Map<String, List<String>> fallback = config.skills().fallback();
      if (sk.containsKey("fallback")) {
        fallback = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Node> e : mapping(sk.get("fallback"), null).entrySet()) {
          if (!(e.getValue() instanceof org.yaml.snakeyaml.nodes.SequenceNode seq)) {
            throw at(e.getValue(), "skills.fallback." + e.getKey() + " must be a list of skill ids, e.g. [chatart]");
          }
          List<String> ids = new java.util.ArrayList<>();
          for (Node n : seq.getValue()) {
            ids.add(text(n));
          }
          fallback.put(e.getKey(), ids);
        }
      }
      config = config.withSkills(new HostConfig.Skills(
          sk.containsKey("dir") ? Path.of(text(sk.get("dir"))) : config.skills().dir(), prefer, fallback));
    }
    if (top.containsKey("net")) {
      config = config.withNet(net(top.get("net")));
    }
    if (top.containsKey("outbox")) {
      config = config.withOutbox(outbox(top.get("outbox"), config.outbox()));
    }
    if (top.containsKey("fetch")) {
      config = config.withFetch(fetch(mapping(top.get("fetch"),
          Set.of("allow", "max_bytes", "timeout_s", "first_byte_s", "content_types")), config.fetch()));
    }
    if (top.containsKey("outputs")) {
      Map<String, Node> o = mapping(top.get("outputs"), Set.of("keep_days", "link_ttl_s"));
      HostConfig.Outputs d = config.outputs();
      config = config.withOutputs(new HostConfig.Outputs(
          o.containsKey("keep_days") ? Duration.ofDays(number(o.get("keep_days"), 0, 36_500)) : d.keepFor(),
          o.containsKey("link_ttl_s") ? Duration.ofSeconds(number(o.get("link_ttl_s"), 10, 7 * 86_400)) : d.linkTtl()));
    }
    if (top.containsKey("metrics")) {
      Map<String, Node> m = mapping(top.get("metrics"), Set.of("host", "port"));
      if (!m.containsKey("host") && m.containsKey("port")) {
        throw at(m.get("port"), "metrics.port needs metrics.host too (e.g. host: 127.0.0.1); without both, /metrics is"
            + " served on the API behind the key");
      }
      config = config.withMetrics(m.containsKey("host")
          ? new HostConfig.Metrics(text(m.get("host")), m.containsKey("port") ? (int) number(m.get("port"), 0, 65535)
              : HostConfig.DEFAULT_METRICS_PORT)
          : HostConfig.Metrics.ON_API);
    }
    if (top.containsKey("store")) {
      config = config.withStore(store(top.get("store")));
    }
    if (top.containsKey("providers")) {
      Map<String, JsonObject> providers = new HashMap<>();
      for (Map.Entry<String, Node> e : mapping(top.get("providers"), null).entrySet()) {
        if (!(e.getValue() instanceof MappingNode)) {
          throw at(e.getValue(), "providers." + e.getKey() + " must be a mapping of that provider's settings");
        }
        providers.put(e.getKey(), new JsonObject(asMap(e.getValue())));
      }
      config = config.withProviders(providers);
    }
    return config;
  }

  /** {@code store: {url: postgres://…, shared_dir: /srv/shared, lease_ms: 5000}}; the URL is checked now. */
  private HostConfig.Store store(Node node) throws ConfigException {
    Map<String, Node> st = mapping(node, Set.of("url", "shared_dir", "lease_ms"));
    String url = st.containsKey("url") ? text(st.get("url")) : null;
    if (url != null) {
      try {
        dev.skillhost.host.store.StoreUrl.parse(url);
      } catch (IllegalArgumentException e) {
        throw at(st.get("url"), e.getMessage());
      }
    }
    return new HostConfig.Store(url, st.containsKey("shared_dir") ? Path.of(text(st.get("shared_dir"))) : null,
        st.containsKey("lease_ms") ? Duration.ofMillis(number(st.get("lease_ms"), 500, 600_000))
            : HostConfig.Store.DEFAULT_LEASE);
  }

  /** {@code net: {allow: [127.0.0.1, 10.1.2.0/24]}}, each entry checked now rather than at first use. */
  private HostConfig.Net net(Node node) throws ConfigException {
    Map<String, Node> n = mapping(node, Set.of("allow"));
    List<String> allow = new java.util.ArrayList<>();
    if (n.containsKey("allow")) {
      if (!(n.get("allow") instanceof org.yaml.snakeyaml.nodes.SequenceNode seq)) {
        throw at(n.get("allow"), "expected a list of addresses or ranges, e.g. [127.0.0.1, 10.1.2.0/24]");
      }
      for (Node entry : seq.getValue()) {
        String cidr = text(entry);
        try {
          AddressPolicy.allowing(List.of(cidr));
        } catch (IllegalArgumentException e) {
          throw at(entry, e.getMessage());
        }
        allow.add(cidr);
      }
    }
    return new HostConfig.Net(allow);
  }

  /** {@code outbox: {retry_schedule_ms: [0, 5000, …], poll_interval_ms: 250, timeout_ms: 15000}}. */
  private HostConfig.Outbox outbox(Node node, HostConfig.Outbox d) throws ConfigException {
    Map<String, Node> o = mapping(node, Set.of("retry_schedule_ms", "poll_interval_ms", "timeout_ms"));
    List<Duration> schedule = d.retrySchedule();
    if (o.containsKey("retry_schedule_ms")) {
      if (!(o.get("retry_schedule_ms") instanceof org.yaml.snakeyaml.nodes.SequenceNode seq) || seq.getValue().isEmpty()) {
        throw at(o.get("retry_schedule_ms"), "expected a non-empty list of delays in ms, e.g. [0, 5000, 300000]");
      }
      schedule = new java.util.ArrayList<>();
      for (Node entry : seq.getValue()) {
        schedule.add(Duration.ofMillis(number(entry, 0, 7L * 24 * 3_600_000)));
      }
    }
    return new HostConfig.Outbox(schedule,
        o.containsKey("poll_interval_ms") ? Duration.ofMillis(number(o.get("poll_interval_ms"), 5, 60_000)) : d.pollInterval(),
        o.containsKey("timeout_ms") ? Duration.ofMillis(number(o.get("timeout_ms"), 100, 600_000)) : d.timeout());
  }

  /** {@code fetch: {allow, max_bytes, timeout_s, first_byte_s, content_types}}: allow adds to net.allow, for fetches only. */
  private HostConfig.Fetch fetch(Map<String, Node> f, HostConfig.Fetch d) throws ConfigException {
    List<String> allow = f.containsKey("allow") ? list(f.get("allow"), "address ranges, e.g. [127.0.0.1/32]") : d.allow();
    try {
      AddressPolicy.allowing(allow);
    } catch (IllegalArgumentException e) {
      throw at(f.get("allow"), e.getMessage());
    }
    return new HostConfig.Fetch(allow,
        f.containsKey("max_bytes") ? number(f.get("max_bytes"), 1, 1L << 40) : d.maxBytes(),
        f.containsKey("timeout_s") ? Duration.ofSeconds(number(f.get("timeout_s"), 1, 86_400)) : d.timeout(),
        f.containsKey("first_byte_s") ? Duration.ofSeconds(number(f.get("first_byte_s"), 1, 3_600)) : d.firstByte(),
        f.containsKey("content_types") ? list(f.get("content_types"), "types, e.g. [image/*, video/mp4]") : d.contentTypes());
  }

  private List<String> list(Node node, String what) throws ConfigException {
    if (!(node instanceof org.yaml.snakeyaml.nodes.SequenceNode seq)) {
      throw at(node, "expected a list of " + what);
    }
    List<String> out = new java.util.ArrayList<>();
    for (Node n : seq.getValue()) {
      out.add(text(n));
    }
    return out;
  }

  private Map<String, Node> mapping(Node node, Set<String> known) throws ConfigException {
    if (!(node instanceof MappingNode map)) {
      throw at(node, "expected a mapping (key: value lines)");
    }
    Map<String, Node> out = new HashMap<>();
    for (NodeTuple t : map.getValue()) {
      String key = text(t.getKeyNode());
      if (known != null && !known.contains(key)) {
        throw at(t.getKeyNode(), "unknown key '" + key + "'; known here: " + String.join(", ", known.stream().sorted().toList()));
      }
      out.put(key, t.getValueNode());
    }
    return out;
  }

  private String text(Node node) throws ConfigException {
    if (!(node instanceof ScalarNode s)) {
      throw at(node, "expected a single value");
    }
    return s.getValue();
  }

  private long number(Node node, long min, long max) throws ConfigException {
    String s = text(node);
    try {
      long v = Long.parseLong(s.replace("_", ""));
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw at(node, "expected a whole number from " + min + " to " + max + ", not '" + s + "'");
  }

  private Map<String, Object> asMap(Node node) throws ConfigException {
    Map<String, Object> out = new HashMap<>();
    for (Map.Entry<String, Node> e : mapping(node, null).entrySet()) {
      out.put(e.getKey(), value(e.getValue()));
    }
    return out;
  }

  private Object value(Node node) throws ConfigException {
    if (node instanceof MappingNode) {
      return asMap(node);
    }
    if (node instanceof ScalarNode s) {
      // typed as YAML reads it: a provider's `poll: {first_ms: 500}` is a number to the plugin, and
      // a quoted "500" stays text
      org.yaml.snakeyaml.nodes.Tag tag = s.getTag();
      try {
        if (tag.equals(org.yaml.snakeyaml.nodes.Tag.INT)) {
          return Long.decode(s.getValue().replace("_", ""));
        }
        if (tag.equals(org.yaml.snakeyaml.nodes.Tag.FLOAT)) {
          return Double.parseDouble(s.getValue().replace("_", ""));
        }
      } catch (NumberFormatException e) {
        return s.getValue(); // YAML's rarer forms (0o17, 1:30, .inf) stay text
      }
      if (tag.equals(org.yaml.snakeyaml.nodes.Tag.BOOL)) {
        return Boolean.parseBoolean(s.getValue().toLowerCase(java.util.Locale.ROOT));
      }
      if (tag.equals(org.yaml.snakeyaml.nodes.Tag.NULL)) {
        return null;
      }
      return s.getValue();
    }
    if (node instanceof org.yaml.snakeyaml.nodes.SequenceNode seq) {
      List<Object> list = new java.util.ArrayList<>();
      for (Node n : seq.getValue()) {
        list.add(value(n));
      }
      return list;
    }
    throw at(node, "unsupported value");
  }

  private ConfigException at(Node node, String message) {
    return new ConfigException(file + ":" + (node.getStartMark().getLine() + 1) + ":"
        + (node.getStartMark().getColumn() + 1) + ": " + message);
  }
}
