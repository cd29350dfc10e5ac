package dev.skillhost.libtv;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a batch of session messages says: result URLs, a failure, the latest words for people and
 * the largest seq. Results come from the two places the official client reads (nexu
 * {@code extract_result_urls}): allowlisted URLs in assistant text, and {@code task_result}
 * payloads in tool messages. Unlike that client, failures are read too (an error message, a failed
 * task_result, an assistant saying generation failed), so a failed task ends failed, not timed out.
 *
 * @param results results in order, deduplicated
 * @param failure why generation failed, or null
 * @param said    the latest assistant words that were not a result, or null
 * @param lastSeq the largest seq seen, or the one given when none is larger
 */
record LibTvFindings(List<Result> results, String failure, String said, long lastSeq) {

  /**
   * nexu's allowlist regex, applied to assistant text, with one change: no non-ASCII characters,
   * because the agent writes Chinese right after a URL ("完成：<url>。另见") and nexu's class takes
   * it along. The host holds every output to the skill's list too.
   */
  static final Pattern RESULT_URL =
      Pattern.compile("https://libtv-res\\.liblib\\.art/(?:sd-gen-save-img|claw)/[^\\s\"'<>)\\u0080-\\uFFFF]+");
  /** Sentence punctuation the URL regex takes along when text follows a URL without a space. */
  private static final Pattern TRAILING = Pattern.compile("[.,;:!?，。；：！？]+$");
  /** Assistant words that mean the generation failed (LibTV's agent answers in Chinese or English). */
  static final Pattern FAILED_TEXT = Pattern.compile(
      "(?i)generation failed|failed to generate|could not generate|生成失败|任务失败|无法生成|生成出错");
  private static final Set<String> FAILED_STATUS = Set.of("failed", "fail", "failure", "error", "cancelled", "canceled");
  private static final int MAX_SAID = 300;

  /** One result: its URL and whether it is an image or a video. */
  record Result(String url, String kind) {}

  static LibTvFindings read(JsonArray messages, long afterSeq, List<String> references, String defaultKind) {
    Set<String> seen = new LinkedHashSet<>();
    List<Result> results = new ArrayList<>();
    String failure = null;
    String said = null;
    long last = afterSeq;
    for (int i = 0; i < messages.size(); i++) {
      if (!(messages.getValue(i) instanceof JsonObject m)) continue;
      long seq = m.getValue("seq") instanceof Number n ? n.longValue() : -1;
      if (seq >= 0 && seq <= afterSeq) continue; // a backend that ignores afterSeq sends old ones again
      last = Math.max(last, seq);
      String role = m.getString("role", "");
      String content = content(m.getValue("content"));
      if ("error".equalsIgnoreCase(m.getString("type", ""))) {
        failure = content.isBlank() ? "LibTV reported an error" : content;
        continue;
      }
      if ("tool".equals(role)) {
        JsonObject taskResult = taskResult(m.getValue("content"));
        if (taskResult != null) {
          media(taskResult, "videos", "video", references, seen, results);
          media(taskResult, "images", "image", references, seen, results);
          String failed = failed(taskResult);
          if (failed != null) failure = failed;
        }
      } else if ("assistant".equals(role)) {
        Matcher urls = RESULT_URL.matcher(content);
        boolean found = false;
        while (urls.find()) {
          String url = TRAILING.matcher(urls.group()).replaceAll("");
          if (!references.contains(url) && seen.add(url)) results.add(new Result(url, kindOf(url, defaultKind)));
          found = true;
        }
        if (!found && !content.isBlank()) {
          said = content.length() > MAX_SAID ? content.substring(0, MAX_SAID) + "…" : content;
          if (FAILED_TEXT.matcher(content).find()) failure = said;
        }
      }
    }
    return new LibTvFindings(List.copyOf(results), failure, said, last);
  }

  private static String content(Object value) {
    if (value == null) return "";
    return value instanceof String s ? s : String.valueOf(value);
  }

  /** A tool message's content is a JSON string (sometimes already an object) holding task_result. */
  private static JsonObject taskResult(Object content) {
    JsonObject json = null;
    if (content instanceof JsonObject o) {
      json = o;
    } else if (content instanceof String s && s.trim().startsWith("{")) {
      try {
        json = new JsonObject(s);
      } catch (DecodeException e) {
        return null;
      }
    }
    return json != null && json.getValue("task_result") instanceof JsonObject r ? r : null;
  }

  private static void media(JsonObject taskResult, String field, String kind, List<String> references,
      Set<String> seen, List<Result> results) {
    if (!(taskResult.getValue(field) instanceof JsonArray items)) return;
    for (Object item : items) {
      if (!(item instanceof JsonObject o)) continue;
      String url = o.getString("previewPath");
      if (url == null || url.isBlank()) url = o.getString("url");
      if (url != null && !url.isBlank() && !references.contains(url) && seen.add(url)) {
        results.add(new Result(url, kind));
      }
    }
  }

  /** The reason a task_result reports a failure, or null. */
  private static String failed(JsonObject taskResult) {
    String status = taskResult.getValue("status") == null ? "" : String.valueOf(taskResult.getValue("status"));
    String reason = firstText(taskResult, "error_message", "errorMessage", "error", "message", "msg");
    if (FAILED_STATUS.contains(status.toLowerCase(Locale.ROOT))) {
      return reason == null ? "task_result status " + status : reason;
    }
    if (taskResult.getValue("error") != null || taskResult.getValue("error_message") != null
        || taskResult.getValue("errorMessage") != null) {
      return reason;
    }
    return null;
  }

  private static String firstText(JsonObject o, String... fields) {
    for (String f : fields) {
      Object v = o.getValue(f);
      if (v instanceof String s && !s.isBlank()) return s;
      if (v instanceof JsonObject e && e.getValue("message") instanceof String s2 && !s2.isBlank()) return s2;
    }
    return null;
  }

  static String kindOf(String url, String fallback) {
    String path = url.toLowerCase(Locale.ROOT).replaceAll("[?#].*$", "");
    if (path.matches(".*\\.(mp4|mov|webm|m4v)$")) return "video";
    if (path.matches(".*\\.(png|jpe?g|webp|gif)$")) return "image";
    return fallback;
  }

  static String mimeOf(String url) {
    String path = url.toLowerCase(Locale.ROOT).replaceAll("[?#].*$", "");
    int dot = path.lastIndexOf('.');
    String ext = dot < 0 ? "" : path.substring(dot + 1);
    return switch (ext) {
      case "mp4", "m4v" -> "video/mp4";
      case "mov" -> "video/quicktime";
      case "webm" -> "video/webm";
      case "png" -> "image/png";
      case "jpg", "jpeg" -> "image/jpeg";
      case "webp" -> "image/webp";
      case "gif" -> "image/gif";
      default -> null;
    };
  }
}
