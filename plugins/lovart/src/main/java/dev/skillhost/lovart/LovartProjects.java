package dev.skillhost.lovart;

import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;

/**
 * The project a message goes to when the task names none: like the official client's
 * {@code active_project}, created once on the server ({@code POST /project/save}) and remembered in
 * the data directory ({@code state.json}, owner-only), not one new project per task. Concurrent
 * first submits share one creation. A named project is validated first ({@code GET
 * /project/validate}, once more after 2 s as the official client does for fresh projects).
 */
final class LovartProjects {

  private static final String STATE = "state.json";
  private Future<String> active;

  /** The project to use: {@code requested} once validated, else the remembered or a new one. */
  Future<String> resolve(String requested, LovartClient client, ProviderContext ctx, String key) {
    if (requested != null && !requested.isBlank()) {
      return valid(requested, client).compose(ok -> ok ? Future.succeededFuture(true)
              : ctx.vertx().timer(2000).compose(v -> valid(requested, client)))
          .map(ok -> {
            if (!ok) {
              throw ProviderException.rejected("project_missing", "Project '" + requested + "' does not exist");
            }
            return requested;
          });
    }
    synchronized (this) {
      if (active == null || active.failed()) {
        active = load(ctx).compose(stored -> stored != null ? Future.succeededFuture(stored) : create(client, ctx, key));
      }
      return active;
    }
  }

  /** Forgets the remembered project (it was deleted on the server). */
  synchronized void forget() {
    active = null;
  }

  private static Future<Boolean> valid(String projectId, LovartClient client) {
    return client.get("/project/validate", Map.of("project_id", projectId)).map(d -> d.getBoolean("valid", false));
  }

  private static Future<String> create(LovartClient client, ProviderContext ctx, String key) {
    JsonObject body = new JsonObject().put("project_id", "").put("canvas", "").put("project_cover_list", new io.vertx.core.json.JsonArray())
        .put("pic_count", 0).put("project_type", 3).put("project_name", "Skillhost");
    return client.post("/project/save", body, key + ":project:" + UUID.randomUUID())
        .compose(d -> {
          String id = d.getString("project_id");
          if (id == null || id.isBlank()) {
            return Future.failedFuture(new ProviderException("malformed", 200, "Lovart's project answer has no project_id"));
          }
          return store(ctx, id).map(id);
        });
  }

  private static Future<String> load(ProviderContext ctx) {
    return ctx.vertx().executeBlocking(() -> {
      Path file = ctx.dataDir().resolve(STATE);
      if (!Files.exists(file)) {
        return null;
      }
      return new JsonObject(Files.readString(file)).getString("active_project");
    });
  }

  private static Future<Void> store(ProviderContext ctx, String projectId) {
    return ctx.vertx().executeBlocking(() -> {
      Path dir = Files.createDirectories(ctx.dataDir());
      // a temp name of its own: hosts sharing the data dir (a cluster) may store at the same time
      Path tmp = dir.resolve(STATE + "." + UUID.randomUUID() + ".tmp");
      Files.writeString(tmp, new JsonObject().put("active_project", projectId).encodePrettily());
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system: the data directory's own permissions apply
      }
      Files.move(tmp, dir.resolve(STATE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return null;
    });
  }
}
