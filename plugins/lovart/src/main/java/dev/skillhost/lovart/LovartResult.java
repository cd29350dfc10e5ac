package dev.skillhost.lovart;

import dev.skillhost.api.Estimate;
import dev.skillhost.api.Output;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reading {@code GET /chat/result}: artifacts at {@code items[].artifacts[].content} (deduplicated
 * by URL, as the official download), the agent's words ({@code items[].text}), and
 * {@code pending_confirmation} with its {@code estimated_cost}.
 */
final class LovartResult {

  /** What Lovart's CDN wants on a download (the official client sends these). */
  static final JsonObject CDN_HEADERS = new JsonObject().put("User-Agent", "Mozilla/5.0")
      .put("Referer", "https://www.lovart.ai/");

  private final JsonObject data;

  LovartResult(JsonObject data) {
    this.data = data == null ? new JsonObject() : data;
  }

  List<Output> outputs(LovartTask task) {
    Set<String> seen = new LinkedHashSet<>();
    List<Output> out = new ArrayList<>();
    for (JsonObject item : items()) {
      JsonArray artifacts = item.getJsonArray("artifacts");
      if (artifacts == null) {
        continue;
      }
      for (Object o : artifacts) {
        if (!(o instanceof JsonObject a)) {
          continue;
        }
        String url = a.getString("content", "");
        if (url.isEmpty() || !seen.add(url)) {
          continue;
        }
        String type = a.getString("type", "unknown");
        out.add(new Output(kind(type), null, url, mime(url, type), new JsonObject()
            .put("type", type).put("thread_id", task.threadId()).put("project_id", task.projectId())
            .put("link", task.projectId() == null ? null
                : "https://www.lovart.ai/canvas?projectId=" + task.projectId())
            .put("headers", CDN_HEADERS.copy())));
      }
    }
    return out;
  }

  /** The agent's words, joined as the official client's {@code agent_message}. */
  String agentMessage() {
    return items().stream().map(i -> i.getString("text")).filter(t -> t != null && !t.isBlank())
        .collect(Collectors.joining("\n"));
  }

  JsonObject pending() {
    Object p = data.getValue("pending_confirmation");
    if (p instanceof JsonObject o && !o.isEmpty()) {
      return o;
    }
    return null;
  }

  /** The cost a pending confirmation asks for ({@code estimated_cost}, per SKILL.md and [3P]). */
  static Estimate cost(JsonObject pending) {
    Object c = pending.getValue("estimated_cost");
    Double credits = c instanceof Number n ? n.doubleValue() : parse(c);
    return new Estimate(credits, "credits", pending);
  }

  private List<JsonObject> items() {
    JsonArray items = data.getJsonArray("items");
    List<JsonObject> list = new ArrayList<>();
    if (items != null) {
      for (Object o : items) {
        if (o instanceof JsonObject j) {
          list.add(j);
        }
      }
    }
    return list;
  }

  private static Double parse(Object c) {
    try {
      return c == null ? null : Double.valueOf(c.toString());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String kind(String type) {
    return switch (type) {
      case "image", "video", "audio", "text" -> type;
      default -> "model"; // 3D and anything new: a file, kind named for what it is
    };
  }

  static String mime(String url, String type) {
    String path = url.split("\\?")[0].toLowerCase(Locale.ROOT);
    if (path.endsWith(".png")) return "image/png";
    if (path.endsWith(".jpg") || path.endsWith(".jpeg")) return "image/jpeg";
    if (path.endsWith(".webp")) return "image/webp";
    if (path.endsWith(".gif")) return "image/gif";
    if (path.endsWith(".mp4")) return "video/mp4";
    if (path.endsWith(".mov")) return "video/quicktime";
    if (path.endsWith(".glb")) return "model/gltf-binary";
    if (path.endsWith(".mp3")) return "audio/mpeg";
    return "video".equals(type) ? "video/mp4" : "image".equals(type) ? "image/png" : null;
  }
}
