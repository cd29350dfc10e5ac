package dev.skillhost.lovart;

import dev.skillhost.api.Output;
import dev.skillhost.api.Progress;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One look at a Lovart message: exactly one upstream read, chosen by the phase kept in the handle
 * (see {@link LovartTask}), so the host's read budget and the gateway's counting agree.
 *
 * <p>A change from the official poller, on purpose: a {@code done} whose result already has
 * artifacts (and no confirmation request) succeeds at once. The official 5 s re-check guards a
 * thread that reads done before its sub-agent started, which shows as done <em>without</em>
 * artifacts; only that case is re-checked here, before it is reported as text-only.
 */
final class LovartPoller {

  /** The official client's wait before trusting a done without results. */
  static final Duration RECHECK = Duration.ofSeconds(5);

  private final LovartClient client;

  LovartPoller(LovartClient client) {
    this.client = client;
  }

  Future<Progress> look(LovartTask task) {
    LovartTask t = task.looked();
    switch (task.phase()) {
      case LovartTask.COLLECT:
      case LovartTask.FINAL:
        return result(t).map(r -> settle(t, r));
      case LovartTask.RECHECK:
        return status(t).map(s -> switch (s) {
          case "running" -> running(t.to(LovartTask.RUN), List.of(), null);
          case "abort" -> running(t.abortedTo(LovartTask.FINAL), List.of(), Duration.ZERO);
          default -> running(t.to(LovartTask.FINAL), List.of(), Duration.ZERO);
        });
      default:
        if (task.resultLook()) {
          return result(t).map(r -> {
            JsonObject pending = r.pending();
            return pending != null ? awaiting(t, r, pending) : running(t, r.outputs(t), null);
          });
        }
        return status(t).map(s -> switch (s) {
          case "running" -> running(t, List.of(), null);
          case "abort" -> running(t.abortedTo(LovartTask.COLLECT), List.of(), Duration.ZERO);
          case "done" -> running(t.to(LovartTask.COLLECT), List.of(), Duration.ZERO);
          default -> throw new ProviderException("unknown_status", 200, "Lovart reported status '" + s + "'");
        });
    }
  }

  /** The thread stopped (done or abort): succeed, ask for confirmation, re-check, or fail. */
  private Progress settle(LovartTask t, LovartResult r) {
    JsonObject pending = r.pending();
    if (pending != null) {
      return awaiting(t, r, pending);
    }
    List<Output> outputs = r.outputs(t);
    if (t.aborted()) {
      String said = r.agentMessage();
      return Progress.failed(new ProviderException("abort", 0,
          "Lovart stopped this task (status abort)" + (said.isEmpty() ? "" : ": " + said)));
    }
    if (!outputs.isEmpty()) {
      return new Progress(Progress.Status.SUCCEEDED, 1.0, r.agentMessage(), outputs, null, t.handle(), null, null);
    }
    if (LovartTask.COLLECT.equals(t.phase())) {
      return running(t.to(LovartTask.RECHECK), List.of(), RECHECK);
    }
    String said = r.agentMessage();
    return Progress.failed(new ProviderException("no_artifacts", 0,
        said.isEmpty() ? "Lovart finished without a file and without a reply" : said));
  }

  private static Progress awaiting(LovartTask t, LovartResult r, JsonObject pending) {
    String said = r.agentMessage();
    return new Progress(Progress.Status.AWAITING_CONFIRMATION, -1, said.isEmpty() ? null : said, r.outputs(t), null,
        t.to(LovartTask.RUN).handle(), null, LovartResult.cost(pending));
  }

  private static Progress running(LovartTask t, List<Output> outputs, Duration next) {
    return new Progress(Progress.Status.RUNNING, -1, null, outputs, null, t.handle(), next, null);
  }

  private Future<String> status(LovartTask t) {
    return client.get("/chat/status", Map.of("thread_id", t.threadId())).map(d -> {
      String s = d.getString("status");
      if (s == null) {
        throw new ProviderException("malformed", 200, "Lovart's status answer has no status");
      }
      return s;
    });
  }

  private Future<LovartResult> result(LovartTask t) {
    return client.get("/chat/result", Map.of("thread_id", t.threadId())).map(LovartResult::new);
  }
}
