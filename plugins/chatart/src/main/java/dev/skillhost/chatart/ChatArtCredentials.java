package dev.skillhost.chatart;

import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The key and identity every business call carries. {@code CHATARTPRO_UID} + {@code
 * CHATARTPRO_API_KEY} (config secrets or environment) win, as in the official {@code config.py};
 * otherwise {@code credentials.json} in the provider's data directory, written by the device login
 * with owner-only permissions. The official loader uses the stored {@code identity_id} as the uid.
 *
 * @param uid    sent as {@code Identity-Id}
 * @param apiKey sent as {@code Xskill-Authorization: Bearer <key>}
 * @param stored true when read from the file (a login may replace it), false from the environment
 * @param file   everything the login answered (email, name, member_id, …), empty for the environment
 */
record ChatArtCredentials(String uid, String apiKey, boolean stored, JsonObject file) {

  static final String UID = "CHATARTPRO_UID";
  static final String API_KEY = "CHATARTPRO_API_KEY";
  static final String FILE = "credentials.json";

  static Optional<ChatArtCredentials> fromEnv(ProviderContext ctx) {
    Optional<String> uid = ctx.secret(UID);
    Optional<String> key = ctx.secret(API_KEY);
    if (uid.isPresent() && key.isPresent()) {
      return Optional.of(new ChatArtCredentials(uid.get(), key.get(), false, new JsonObject()));
    }
    return Optional.empty();
  }

  /** The credentials to use, or a failed future saying how to sign in. */
  static Future<ChatArtCredentials> resolve(ProviderContext ctx) {
    Optional<ChatArtCredentials> env = fromEnv(ctx);
    if (env.isPresent()) {
      return Future.succeededFuture(env.get());
    }
    return load(ctx).compose(found -> found.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(
        new ProviderException("not_signed_in", 401,
            "not signed in to ChatArt: POST /v1/providers/chatart/login, or set CHATARTPRO_UID and CHATARTPRO_API_KEY"))));
  }

  static Future<Optional<ChatArtCredentials>> load(ProviderContext ctx) {
    Path path = ctx.dataDir().resolve(FILE);
    return ctx.vertx().executeBlocking(() -> {
      if (!Files.isRegularFile(path)) {
        return Optional.<ChatArtCredentials>empty();
      }
      JsonObject json = new JsonObject(Files.readString(path, StandardCharsets.UTF_8));
      String uid = json.getString("identity_id", json.getString("uid"));
      String key = json.getString("api_key");
      if (uid == null || key == null) {
        return Optional.<ChatArtCredentials>empty();
      }
      return Optional.of(new ChatArtCredentials(uid, key, true, json));
    }, false);
  }

  /**
   * Writes the login's answer as the official client does ({@code _save_credentials}): created
   * owner-only before any byte is written, then moved into place, so no other user ever can read it.
   */
  static Future<Void> save(ProviderContext ctx, JsonObject json) {
    Path dir = ctx.dataDir();
    return ctx.vertx().executeBlocking(() -> {
      Files.createDirectories(dir);
      // a name of its own: several hosts may share this directory and log in at the same time
      Path tmp = dir.resolve(FILE + "." + java.util.UUID.randomUUID() + ".tmp");
      ownerOnly(tmp);
      Files.writeString(tmp, json.encodePrettily(), StandardCharsets.UTF_8);
      Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return null;
    }, false);
  }

  static Future<Void> delete(ProviderContext ctx) {
    Path path = ctx.dataDir().resolve(FILE);
    return ctx.vertx().executeBlocking(() -> {
      Files.deleteIfExists(path);
      return null;
    }, false);
  }

  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not POSIX (Windows): the user's profile directory is already private
      file.toFile().setReadable(false, false);
      file.toFile().setReadable(true, true);
    }
  }
}
