package dev.skillhost.sim;

import dev.skillhost.api.ProviderException;
import io.vertx.core.json.JsonObject;

/**
 * The knobs a job may turn on the simulator, read from {@code Job.params} and checked once at
 * submit. Bad values fail with {@code invalid_params}, as a real backend's validation would.
 */
record SimParams(
    long durationMs,
    FailMode fail,
    String failCode,
    int failHttp,
    String failText,
    long slowSubmitMs,
    double flaky,
    long seed,
    double cost,
    String cdnUrl,
    long flakyMs,
    boolean cdnOnly,
    JsonObject cdnHeaders) {

  static final long DEFAULT_DURATION_MS = 2000;
  static final long MAX_DURATION_MS = 3_600_000;
  static final String DEFAULT_FAIL_CODE = "SIM_FAILED";

  /** Where a simulated failure happens. */
  enum FailMode { NONE, SUBMIT, POLL }

  static SimParams parse(JsonObject params) {
    long duration = millis(params, "duration_ms", DEFAULT_DURATION_MS);
    FailMode fail = failMode(params.getValue("fail"));
    String failCode = text(params, "fail_code", DEFAULT_FAIL_CODE);
    long failHttp = integer(params, "fail_http", 0, 0, 599);
    String failText = text(params, "fail_text", "the simulator was told to fail");
    long slowSubmit = millis(params, "slow_submit_ms", 0);
    double flaky = fraction(params, "flaky");
    Object seedValue = params.getValue("seed");
    long seed = seedValue == null ? promptSeed(params.getValue("prompt")) : integer(params, "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
    double cost = number(params, "cost", 0, 0, 1e9);
    // where a cloud backend's CDN would serve the result: reported as the output's URL
    String cdnUrl = text(params, "cdn_url", null);
    // every look in the task's first flaky_ms answers 503: transient faults a test can count on
    long flakyMs = millis(params, "flaky_ms", 0);
    // cdn_only: the result lives at the CDN alone (no host file), as with real cloud backends;
    // cdn_headers: request headers that CDN wants, reported in the output's meta.headers
    boolean cdnOnly = Boolean.TRUE.equals(params.getValue("cdn_only"));
    Object headers = params.getValue("cdn_headers");
    if (headers != null && !(headers instanceof JsonObject)) {
      throw new ProviderException("invalid_params", 0, "cdn_headers must be an object of header names to values");
    }
    return new SimParams(duration, fail, failCode, (int) failHttp, failText, slowSubmit, flaky, seed, cost, cdnUrl,
        flakyMs, cdnOnly, (JsonObject) headers);
  }

  private static long promptSeed(Object prompt) {
    return prompt == null ? 0 : prompt.toString().hashCode();
  }

  private static FailMode failMode(Object value) {
    if (value == null || Boolean.FALSE.equals(value)) return FailMode.NONE;
    if (Boolean.TRUE.equals(value) || "poll".equals(value)) return FailMode.POLL;
    if ("submit".equals(value)) return FailMode.SUBMIT;
    throw invalid("fail must be true, false, \"submit\" or \"poll\", not " + value);
  }

  private static long millis(JsonObject params, String key, long fallback) {
    return integer(params, key, fallback, 0, MAX_DURATION_MS);
  }

  private static long integer(JsonObject params, String key, long fallback, long min, long max) {
    Object value = params.getValue(key);
    if (value == null) return fallback;
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw invalid(key + " must be a whole number, not " + value);
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw invalid(key + " must be between " + min + " and " + max + ", not " + v);
    }
    return v;
  }

  private static double fraction(JsonObject params, String key) {
    return number(params, key, 0, 0, 1);
  }

  private static double number(JsonObject params, String key, double fallback, double min, double max) {
    Object value = params.getValue(key);
    if (value == null) return fallback;
    if (!(value instanceof Number n) || Double.isNaN(n.doubleValue())) {
      throw invalid(key + " must be a number, not " + value);
    }
    double v = n.doubleValue();
    if (v < min || v > max) {
      throw invalid(key + " must be between " + min + " and " + max + ", not " + v);
    }
    return v;
  }

  private static String text(JsonObject params, String key, String fallback) {
    Object value = params.getValue(key);
    if (value == null) return fallback;
    if (!(value instanceof String s)) throw invalid(key + " must be a string, not " + value);
    return s;
  }

  static ProviderException invalid(String text) {
    return new ProviderException("invalid_params", 0, text);
  }
}
