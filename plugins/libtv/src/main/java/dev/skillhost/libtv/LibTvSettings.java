package dev.skillhost.libtv;

import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The provider's settings, read from its config section first and then from the environment
 * variables the official clients read, so a LibTV setup that works for the seed works here.
 *
 * @param gatewayUrl   Nexu gateway base, without a trailing slash
 * @param directUrl    LibTV OpenAPI base, without a trailing slash
 * @param videoRatio   the default ratio hint for video messages
 * @param resultWait   how long a task waits for a result before it is a timeout
 * @param pollInterval the pace of looks at a session
 */
record LibTvSettings(String gatewayUrl, String directUrl, String videoRatio, Duration resultWait, Duration pollInterval) {

  /** nexu libtv_video.py GATEWAY_URL. */
  static final String DEFAULT_GATEWAY_URL = "https://seedance.nexu.io";
  /** nexu libtv_video.py DIRECT_IM_BASE_URL, and libtv-skills _common.py. */
  static final String DEFAULT_DIRECT_URL = "https://im.liblib.tv";
  static final String DEFAULT_VIDEO_RATIO = "16:9";
  /**
   * The official waiter gives up after 23 × 8 s ≈ 3 min, which is short for Seedance video; the
   * task waits this long before it is a timeout (its session kept for a later look).
   */
  static final Duration DEFAULT_RESULT_WAIT = Duration.ofMinutes(30);
  /** LIBTV_POLL_INTERVAL_SECONDS's default, and the upstream guidance. */
  static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(8);
  static final Pattern RATIO = Pattern.compile("^\\d{1,2}:\\d{1,2}$");

  static LibTvSettings of(ProviderContext ctx) {
    JsonObject c = ctx.config();
    String gateway = first(c.getString("gateway_url"), System.getenv("LIBTV_GATEWAY_URL"), DEFAULT_GATEWAY_URL);
    String direct = first(c.getString("direct_url"), System.getenv("LIBTV_DIRECT_BASE_URL"),
        first(System.getenv("OPENAPI_IM_BASE"), System.getenv("IM_BASE_URL"), DEFAULT_DIRECT_URL));
    String ratio = first(c.getString("video_ratio"), validRatio(System.getenv("LIBTV_VIDEO_RATIO")), DEFAULT_VIDEO_RATIO);
    Duration wait = seconds(c.getValue("result_wait_s"), null, DEFAULT_RESULT_WAIT);
    Duration poll = c.getValue("poll_interval_ms") instanceof Number n ? Duration.ofMillis(n.longValue())
        : seconds(null, System.getenv("LIBTV_POLL_INTERVAL_SECONDS"), DEFAULT_POLL_INTERVAL);
    return new LibTvSettings(trim(gateway), trim(direct), ratio, wait, poll);
  }

  /** The base URL of the backend a key belongs to. */
  String baseUrl(LibTvKey.Mode mode) {
    return mode == LibTvKey.Mode.GATEWAY ? gatewayUrl : directUrl;
  }

  /** A problem with these settings, in one line, or empty. */
  Optional<String> problem() {
    if (!RATIO.matcher(videoRatio).matches()) {
      return Optional.of("video_ratio '" + videoRatio + "' is not a ratio like 16:9 or 9:16.");
    }
    return Optional.empty();
  }

  /** A task's own ratio when it sets one, checked as the official client checks it. */
  String ratioFor(JsonObject params) {
    Object asked = params.getValue("video_ratio");
    if (asked == null) return videoRatio;
    if (!(asked instanceof String s) || !RATIO.matcher(s.trim()).matches()) {
      throw ProviderException.rejected("invalid_params", "video_ratio must look like 16:9 or 9:16, not " + asked);
    }
    return ((String) asked).trim();
  }

  private static String validRatio(String v) {
    return v != null && RATIO.matcher(v.trim()).matches() ? v.trim() : null;
  }

  private static Duration seconds(Object configured, String env, Duration fallback) {
    if (configured instanceof Number n && n.doubleValue() > 0) return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
    if (env != null) {
      try {
        double s = Double.parseDouble(env.trim());
        if (s > 0) return Duration.ofMillis(Math.round(s * 1000));
      } catch (NumberFormatException ignored) {
        // the official client falls back to its default too
      }
    }
    return fallback;
  }

  private static String first(String a, String b, String fallback) {
    if (a != null && !a.isBlank()) return a.trim();
    if (b != null && !b.isBlank()) return b.trim();
    return fallback;
  }

  /** The official GATEWAY_URL ends in '/', so requests went to '//libtv/…'; ours go to one slash. */
  private static String trim(String url) {
    String u = url;
    while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
    return u;
  }
}
