package dev.skillhost.sim;

import dev.skillhost.api.Handle;
import dev.skillhost.api.Job;
import dev.skillhost.api.ProviderException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * One simulated upstream task, wholly described by its handle: any plugin instance, after a host
 * restart or a hot swap, recomputes the same progress from it and the clock.
 */
record SimTask(
    String taskId,
    String operation,
    long startedAt,
    long durationMs,
    boolean failOnPoll,
    String failCode,
    int failHttp,
    String failText,
    double flaky,
    long seed,
    String image,
    String cdnUrl,
    long flakyMs,
    boolean cdnOnly,
    JsonObject cdnHeaders) {

  static SimTask of(Job job, SimParams params, String image, long now) {
    return new SimTask(job.taskId(), job.operation(), now, params.durationMs(),
        params.fail() == SimParams.FailMode.POLL, params.failCode(), params.failHttp(),
        params.failText(), params.flaky(), params.seed(), image, params.cdnUrl(), params.flakyMs(),
        params.cdnOnly(), params.cdnHeaders());
  }

  Handle handle() {
    JsonObject data = new JsonObject()
        .put("task_id", taskId)
        .put("operation", operation)
        .put("started_at", startedAt)
        .put("duration_ms", durationMs)
        .put("flaky", flaky)
        .put("seed", seed);
    if (failOnPoll) {
      data.put("fail", "poll").put("fail_code", failCode).put("fail_http", failHttp).put("fail_text", failText);
    }
    if (image != null) data.put("image", image);
    if (cdnUrl != null) data.put("cdn_url", cdnUrl);
    if (flakyMs > 0) data.put("flaky_ms", flakyMs);
    if (cdnOnly) data.put("cdn_only", true);
    if (cdnHeaders != null) data.put("cdn_headers", cdnHeaders);
    return new Handle("sim-" + taskId, data, Duration.ofMillis(durationMs));
  }

  static SimTask from(Handle handle) {
    JsonObject d = handle.data();
    try {
      String taskId = d.getString("task_id");
      String operation = d.getString("operation");
      Long startedAt = d.getLong("started_at");
      Long duration = d.getLong("duration_ms");
      if (taskId == null || operation == null || startedAt == null || duration == null) {
        throw new IllegalArgumentException("task_id, operation, started_at and duration_ms are required");
      }
      return new SimTask(taskId, operation, startedAt, duration, "poll".equals(d.getString("fail")),
          d.getString("fail_code", SimParams.DEFAULT_FAIL_CODE), d.getInteger("fail_http", 0),
          d.getString("fail_text", "the simulator was told to fail"), d.getDouble("flaky", 0.0),
          d.getLong("seed", 0L), d.getString("image"), d.getString("cdn_url"),
          d.getLong("flaky_ms", 0L), d.getBoolean("cdn_only", false), d.getJsonObject("cdn_headers"));
    } catch (ClassCastException | IllegalArgumentException e) {
      throw new ProviderException("invalid_handle", 0, "not a simulator handle: " + e.getMessage());
    }
  }

  /** Elapsed share of the run at {@code now}, clamped to 0..1; a zero duration is done at once. */
  double fraction(long now) {
    if (durationMs <= 0) return 1.0;
    return Math.max(0.0, Math.min(1.0, (now - startedAt) / (double) durationMs));
  }
}
