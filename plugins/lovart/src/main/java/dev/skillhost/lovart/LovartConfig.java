package dev.skillhost.lovart;

import dev.skillhost.api.ProviderContext;
import java.util.Optional;

/**
 * Where and as whom to call Lovart, read the way the official skill reads it: {@code
 * LOVART_ACCESS_KEY}, {@code LOVART_SECRET_KEY} and {@code LOVART_BASE_URL} (config
 * {@code providers.lovart.secrets.*} first, then the environment), or the config keys
 * {@code base_url} and {@code path_prefix}.
 *
 * @param baseUrl       gateway, default {@code https://lgw.lovart.ai}
 * @param prefix        path prefix, default {@code /v1/openapi} (part of the signed path)
 * @param accessKey     AK, or null when not configured
 * @param secretKey     SK, or null when not configured
 * @param trustReplay   true when the operator knows the gateway deduplicates POST /chat by
 *                      Idempotency-Key, so a lost submit may be looked up by sending it again
 */
record LovartConfig(String baseUrl, String prefix, String accessKey, String secretKey, boolean trustReplay) {

  static final String DEFAULT_BASE_URL = "https://lgw.lovart.ai";
  static final String DEFAULT_PREFIX = "/v1/openapi";

  static LovartConfig of(ProviderContext ctx) {
    String base = Optional.ofNullable(ctx.config().getString("base_url"))
        .or(() -> ctx.secret("LOVART_BASE_URL")).filter(s -> !s.isBlank()).orElse(DEFAULT_BASE_URL);
    return new LovartConfig(strip(base), ctx.config().getString("path_prefix", DEFAULT_PREFIX),
        ctx.secret("LOVART_ACCESS_KEY").filter(s -> !s.isBlank()).orElse(null),
        ctx.secret("LOVART_SECRET_KEY").filter(s -> !s.isBlank()).orElse(null),
        ctx.config().getBoolean("idempotent_replay", false));
  }

  /** What is missing, in one line, or empty. */
  Optional<String> problem() {
    if (accessKey == null || secretKey == null) {
      return Optional.of("LOVART_ACCESS_KEY and LOVART_SECRET_KEY are not set (Lovart → Avatar menu → AK/SK Management)");
    }
    return Optional.empty();
  }

  private static String strip(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
