package dev.skillhost.host.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A finished task's outputs, saved as {@code <task id>[-n].<ext>} in a directory. */
final class Outputs {

  private static final Map<String, String> EXTENSIONS = Map.ofEntries(
      Map.entry("video/mp4", "mp4"), Map.entry("video/webm", "webm"), Map.entry("video/quicktime", "mov"),
      Map.entry("image/gif", "gif"), Map.entry("image/png", "png"), Map.entry("image/jpeg", "jpg"),
      Map.entry("image/webp", "webp"), Map.entry("audio/mpeg", "mp3"), Map.entry("audio/wav", "wav"),
      Map.entry("application/json", "json"), Map.entry("text/plain", "txt"));

  private Outputs() {}

  static List<Path> save(HostClient client, JsonObject task, Path dir) {
    JsonArray outputs = task.getJsonArray("outputs", new JsonArray());
    if (outputs.isEmpty()) {
      return List.of();
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new CliException(CliException.BAD_INPUT, "Cannot create " + dir + ": " + e.getMessage() + ".");
    }
    List<Path> saved = new ArrayList<>();
    for (int i = 0; i < outputs.size(); i++) {
      JsonObject out = outputs.getJsonObject(i);
      String name = task.getString("id") + (outputs.size() > 1 ? "-" + (i + 1) : "") + "." + extension(out);
      Path target = dir.resolve(name);
      if (out.getString("file") == null && out.getString("url") == null) {
        continue;
      }
      client.download(out.getString("file"), out.getString("url"), target);
      saved.add(target);
    }
    return saved;
  }

  private static String extension(JsonObject output) {
    String mime = output.getString("mime", "");
    int semi = mime.indexOf(';');
    return EXTENSIONS.getOrDefault(semi < 0 ? mime : mime.substring(0, semi), "bin");
  }

  static String size(Path file) {
    try {
      long bytes = Files.size(file);
      return bytes < 1024 ? bytes + " B" : bytes < 1 << 20 ? String.format("%.1f KB", bytes / 1024.0)
          : String.format("%.1f MB", bytes / (double) (1 << 20));
    } catch (IOException e) {
      return "?";
    }
  }
}
