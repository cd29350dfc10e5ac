package dev.skillhost.cluster;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tasks sent to a cluster the way a client behind a load balancer sends them: round-robin over the
 * nodes, each with an {@code Idempotency-Key}; a submit whose node is dead or whose connection broke
 * is sent again to the next live node under the same key (the key must hold across nodes). Every
 * prompt carries a marker ({@code [w-0042]}) so the simulators' records can be counted per task.
 */
public final class Workload {

  /** One kind of task: a provider's operation and its prompt. */
  public record Kind(String skill, String operation, String prompt) {
    JsonObject body(String marker) {
      return new JsonObject().put("skill", skill).put("operation", operation)
          .put("params", new JsonObject().put("prompt", prompt + " " + marker));
    }
  }

  /**
   * A task the cluster accepted: which request, the node that answered, every node the request was
   * sent to (one that died while answering may have stored, and so watch, the task), and its id.
   */
  public record Submitted(int index, Kind kind, HostNode node, String id, long at, List<HostNode> tried) {}

  public static final Kind LOVART = new Kind("lovart", "text2image", "a poster of a red fox in the snow");
  public static final Kind LIBTV = new Kind("libtv", "text2image", "an image of a lighthouse at dawn");
  public static final Kind NEMO = new Kind("nemovideo", "generate", "a 15 second video about coffee");

  private static final Pattern MARKER = Pattern.compile("\\[w-(\\d+)]");
  private static final int ATTEMPTS = 6;

  private final Cluster cluster;
  private final String name;
  private final Map<Integer, Submitted> submitted = new ConcurrentHashMap<>();

  public Workload(Cluster cluster, String name) {
    this.cluster = cluster;
    this.name = name;
  }

  public static String marker(int i) {
    return "[w-" + i + "]";
  }

  /** The task index in a text that carries a marker, or -1. */
  public static int indexIn(String text) {
    Matcher m = text == null ? null : MARKER.matcher(text);
    return m != null && m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** Submits task {@code i} of {@code kind} to node {@code i mod n}, or the next live one. */
  public Future<Submitted> submit(int i, Kind kind) {
    return submit(i, kind, 0, null, List.of());
  }

  private Future<Submitted> submit(int i, Kind kind, int attempt, Throwable last, List<HostNode> tried) {
    List<HostNode> nodes = cluster.nodes();
    if (attempt >= ATTEMPTS) {
      return Future.failedFuture(new AssertionError("task " + i + " was not accepted after " + ATTEMPTS + " tries", last));
    }
    HostNode n = nodes.get((i + attempt) % nodes.size());
    if (!n.alive()) {
      return submit(i, kind, attempt + 1, last, tried);
    }
    List<HostNode> sent = new java.util.ArrayList<>(tried);
    sent.add(n);
    return cluster.post(n, "/v1/tasks", kind.body(marker(i)), name + "-" + i).compose(r -> {
      if (r.statusCode() == 200 || r.statusCode() == 202) {
        Submitted s = new Submitted(i, kind, n, r.bodyAsJsonObject().getString("id"), System.currentTimeMillis(),
            List.copyOf(sent));
        submitted.put(i, s);
        return Future.succeededFuture(s);
      }
      if (r.statusCode() >= 500) {
        return submit(i, kind, attempt + 1, new IllegalStateException(n + " answered " + r.statusCode() + " " + r.bodyAsString()),
            sent);
      }
      return Future.failedFuture(new AssertionError(n + " refused task " + i + ": " + r.statusCode() + " " + r.bodyAsString()));
    }, e -> submit(i, kind, attempt + 1, e, sent));
  }

  public Map<Integer, Submitted> submitted() {
    return submitted;
  }
}
