package dev.skillhost.feishu;

import dev.skillhost.api.ProviderContext;
import java.net.URI;
import java.util.Optional;

/**
 * The channel's configuration, read from the context on every delivery (so a config change needs
 * no reload): the app's credentials under the env names LibTV's {@code feishu_send_video.py} uses,
 * the Open API base (Lark's international {@code open.larksuite.com}, or a simulator) and the
 * upload limits Feishu documents (30 MB per file, 10 MB per image).
 *
 * @param base          Open API origin, no trailing slash
 * @param appId         {@code FEISHU_APP_ID}, or null
 * @param appSecret     {@code FEISHU_APP_SECRET}, or null
 * @param maxFileBytes  larger files go as a link (when the output has a URL) instead of an upload
 * @param maxImageBytes larger images go as a file upload
 */
record FeishuSettings(String base, String appId, String appSecret, long maxFileBytes, long maxImageBytes) {

  static final String DEFAULT_BASE = "https://open.feishu.cn";
  static final String APP_ID = "FEISHU_APP_ID";
  static final String APP_SECRET = "FEISHU_APP_SECRET";
  /** Not an official variable (the seed hard-codes open.feishu.cn); ours, for Lark and simulators. */
  static final String BASE_ENV = "FEISHU_BASE_URL";
  static final long DEFAULT_MAX_FILE_BYTES = 30L * 1024 * 1024;
  static final long DEFAULT_MAX_IMAGE_BYTES = 10L * 1024 * 1024;

  static FeishuSettings of(ProviderContext ctx) {
    String base = ctx.config().getString("base_url", ctx.secret(BASE_ENV).orElse(DEFAULT_BASE)).trim();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return new FeishuSettings(base,
        ctx.secret(APP_ID).filter(s -> !s.isBlank()).orElse(null),
        ctx.secret(APP_SECRET).filter(s -> !s.isBlank()).orElse(null),
        ctx.config().getLong("max_file_bytes", DEFAULT_MAX_FILE_BYTES),
        ctx.config().getLong("max_image_bytes", DEFAULT_MAX_IMAGE_BYTES));
  }

  /** What keeps the channel from delivering, in one line, else empty. */
  Optional<String> problem() {
    if (appId == null || appSecret == null) {
      return Optional.of("Feishu app credentials missing: set " + APP_ID + " and " + APP_SECRET
          + " (providers.feishu.secrets or the environment)");
    }
    try {
      URI uri = URI.create(base);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
        return Optional.of("Feishu base_url must be an http(s) URL, got '" + base + "'");
      }
    } catch (IllegalArgumentException e) {
      return Optional.of("Feishu base_url is not a URL: '" + base + "'");
    }
    return Optional.empty();
  }
}
