package dev.skillhost.nemovideo;

import dev.skillhost.api.ProviderContext;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The provider's settings: config section {@code providers.nemovideo} first, then the official
 * skill's environment variables ({@code NEMO_API_URL}, {@code NEMO_WEB_URL}, {@code NEMO_CLIENT_ID},
 * {@code NEMO_TOKEN}, {@code SKILL_SOURCE}), then the documented defaults. The poll pacing is
 * configurable so tests can run the documented schedule (30 s, then 60 s, 5 unchanged reads;
 * render every 30 s, 10 polls) in milliseconds.
 */
record NemoConfig(
    String apiUrl,
    String webUrl,
    String clientId,
    String token,
    String skillName,
    String skillVersion,
    String skillPlatform,
    Duration firstPoll,
    Duration nextPoll,
    int maxUnchanged,
    int settleReads,
    Duration liveCheck,
    Duration renderPoll,
    int renderMaxPolls,
    Duration streamIdle,
    Duration callTimeout) {

  static final String DEFAULT_API = "https://mega-api-prod.nemovideo.ai";
  static final String DEFAULT_WEB = "https://nemovideo.com";
  /** The official skill's frontmatter: name and version sent as attribution. */
  static final String DEFAULT_SKILL_NAME = "nemo-video";
  static final String DEFAULT_SKILL_VERSION = "1.9";
  static final String DEFAULT_PLATFORM = "skillhost";
  static final long DEFAULT_FIRST_POLL_MS = 30_000;
  static final long DEFAULT_NEXT_POLL_MS = 60_000;
  static final int DEFAULT_MAX_UNCHANGED = 5;
  /** Reads an exportable draft must stay the same before a one-stage result counts as final. */
  static final int DEFAULT_SETTLE_READS = 2;
  static final long DEFAULT_LIVE_CHECK_MS = 5_000;
  static final long DEFAULT_RENDER_POLL_MS = 30_000;
  static final int DEFAULT_RENDER_MAX_POLLS = 10;
  /** "10 minutes of heartbeats only means assume timeout." */
  static final long DEFAULT_STREAM_IDLE_MS = 600_000;
  static final long DEFAULT_CALL_TIMEOUT_MS = 30_000;

  static NemoConfig of(ProviderContext ctx) {
    JsonObject c = ctx.config();
    JsonObject poll = c.getJsonObject("poll", new JsonObject());
    JsonObject render = c.getJsonObject("render", new JsonObject());
    return new NemoConfig(
        trim(pick(c.getString("api_url"), ctx.secret("NEMO_API_URL").orElse(null), DEFAULT_API)),
        trim(pick(c.getString("web_url"), ctx.secret("NEMO_WEB_URL").orElse(null), DEFAULT_WEB)),
        pick(c.getString("client_id"), ctx.secret("NEMO_CLIENT_ID").orElse(null), null),
        ctx.secret("NEMO_TOKEN").filter(t -> !t.isBlank()).orElse(null),
        c.getString("skill_name", DEFAULT_SKILL_NAME),
        c.getString("skill_version", DEFAULT_SKILL_VERSION),
        pick(c.getString("skill_platform"), ctx.secret("SKILL_SOURCE").orElse(null), DEFAULT_PLATFORM),
        ms(poll, "first_ms", DEFAULT_FIRST_POLL_MS),
        ms(poll, "next_ms", DEFAULT_NEXT_POLL_MS),
        poll.getInteger("max_unchanged", DEFAULT_MAX_UNCHANGED),
        poll.getInteger("settle_reads", DEFAULT_SETTLE_READS),
        ms(poll, "live_check_ms", DEFAULT_LIVE_CHECK_MS),
        ms(render, "poll_ms", DEFAULT_RENDER_POLL_MS),
        render.getInteger("max_polls", DEFAULT_RENDER_MAX_POLLS),
        ms(c, "stream_idle_ms", DEFAULT_STREAM_IDLE_MS),
        ms(c, "call_timeout_ms", DEFAULT_CALL_TIMEOUT_MS));
  }

  private static Duration ms(JsonObject json, String key, long def) {
    return Duration.ofMillis(json.getLong(key, def));
  }

  private static String pick(String a, String b, String def) {
    if (a != null && !a.isBlank()) return a;
    if (b != null && !b.isBlank()) return b;
    return def;
  }

  private static String trim(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
