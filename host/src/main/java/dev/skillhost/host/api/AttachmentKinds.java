package dev.skillhost.host.api;

import dev.skillhost.host.store.FileInfo;
import dev.skillhost.host.store.FileStore;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** What a request's attachments are, for routing: kinds ({@code image}) as given, upload ids counted by their type. */
public final class AttachmentKinds {

  static final Set<String> KINDS = Set.of("image", "video", "audio");

  private AttachmentKinds() {}

  /**
   * Counts {@code items} (kinds or the owner's upload ids) by kind. Fails with a 422 problem
   * ({@code unknown-attachment}) for an id that is not the owner's image, video or audio upload.
   */
  public static Future<Map<String, Integer>> count(FileStore files, List<String> items, String owner) {
    Set<String> ids = items.stream().filter(FileStore::isFileId).collect(Collectors.toCollection(LinkedHashSet::new));
    List<String> order = List.copyOf(ids);
    return Future.all(order.stream().map(id -> files.find(id, owner)).toList()).map(found -> {
      Map<String, String> kindById = new HashMap<>();
      for (int i = 0; i < order.size(); i++) {
        Optional<FileInfo> info = found.resultAt(i);
        String id = order.get(i);
        String kind = info.map(f -> f.mime().substring(0, Math.max(0, f.mime().indexOf('/')))).orElse("");
        if (info.isEmpty() || !KINDS.contains(kind)) {
          throw ApiException.unprocessable("unknown-attachment", "No upload " + id + " is yours"
              + (info.isEmpty() ? "" : " as an image, video or audio file") + ". Upload it first with POST /v1/uploads"
              + " and send the id it answers.");
        }
        kindById.put(id, kind);
      }
      Map<String, Integer> counts = new HashMap<>();
      for (String item : items) {
        counts.merge(kindById.getOrDefault(item, item), 1, Integer::sum);
      }
      return counts;
    });
  }
}
