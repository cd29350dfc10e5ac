package dev.skillhost.host.store;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A stored file's metadata.
 *
 * @param id        content address: lowercase hex SHA-256 of the bytes
 * @param mime      content type sniffed from the bytes (or the writer's hint if nothing matched)
 * @param size      bytes
 * @param createdAt when the bytes were first stored, epoch milliseconds
 */
public record FileInfo(String id, String mime, long size, long createdAt) {

  /** Where the API serves the file. */
  public String url() {
    return "/v1/files/" + id;
  }

  /** The file as the API shows it (snake_case). */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("mime", mime)
        .put("size", size)
        .put("created_at", Instant.ofEpochMilli(createdAt).toString())
        .put("url", url());
  }
}
