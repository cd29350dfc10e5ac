package dev.skillhost.libtv;

import dev.skillhost.api.ProviderException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The message a task sends. LibTV has no parameter fields: the backend agent reads natural
 * language, so reference URLs and the ratio go into the text, as the official client does
 * ({@code _append_video_ratio_hint}: a ratio is appended only when the text names none).
 */
final class LibTvPrompt {

  /** nexu's test for "the user already gave a ratio". */
  static final Pattern HAS_RATIO = Pattern.compile("\\b\\d{1,2}:\\d{1,2}\\b");

  private LibTvPrompt() {}

  /**
   * @param prompt     the user's request
   * @param references uploaded inputs, each {role, url}
   * @param ratio      the ratio hint, or null for operations that make images
   */
  static String message(String prompt, List<Reference> references, String ratio) {
    if (prompt == null || prompt.isBlank()) {
      throw ProviderException.rejected("invalid_params", "prompt is required: say what LibTV should make");
    }
    StringBuilder text = new StringBuilder(prompt.trim());
    if (ratio != null && !HAS_RATIO.matcher(prompt).find()) {
      text.append(", video ratio ").append(ratio);
    }
    // References last, each on its own line: the official client appends the ratio after them,
    // which glues ", video ratio" to the URL for any reader that takes URLs up to whitespace.
    for (Reference r : references) {
      text.append("\nreference ").append(r.role()).append(": ").append(r.url());
    }
    return text.toString();
  }

  /** An uploaded input the message points at. */
  record Reference(String role, String url) {}
}
