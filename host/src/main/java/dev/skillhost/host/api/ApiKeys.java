package dev.skillhost.host.api;

import java.io.IOException;
import dev.skillhost.host.store.SharedFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The API keys this host accepts, one per line in {@code <shared>/api-keys} (owner-only file; the
 * shared directory every node of a cluster sees, by default the data directory). A task's owner is
 * a hash of its key, so the database never holds a key.
 */
public final class ApiKeys {

  public static final String FILE_NAME = "api-keys";
  private static final String PREFIX = "sk_";

  private final Map<String, String> ownerByKeyHash;
  private final String createdKey;

  private ApiKeys(List<String> keys, String createdKey) {
    this.ownerByKeyHash = keys.stream().distinct()
        .collect(Collectors.toUnmodifiableMap(ApiKeys::sha256, ApiKeys::ownerOf));
    this.createdKey = createdKey;
  }

  /**
   * Reads the key file in {@code sharedDir}, creating it with one fresh key if it does not exist.
   * Nodes starting together on a fresh shared directory end with the same one key (see
   * {@link SharedFiles}); only the node that made it reports it as {@link #createdKey()}.
   * Blocking: call at boot.
   */
  public static ApiKeys loadOrCreate(Path sharedDir) throws IOException {
    Path file = sharedDir.resolve(FILE_NAME);
    String fresh = newKey();
    SharedFiles.Content content = SharedFiles.createIfAbsent(file,
        "# Skillhost API keys, one per line. Keep this file private.\n" + fresh + "\n");
    String created = content.created() ? fresh : null;
    List<String> keys = content.text().lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
    if (keys.isEmpty()) {
      throw new IOException(file + " holds no key; add one line or delete the file to get a new key");
    }
    return new ApiKeys(keys, created);
  }

  /** A new random key. */
  public static String newKey() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The owner id for a presented key, if the key is known. */
  public Optional<String> owner(String key) {
    return key == null ? Optional.empty() : Optional.ofNullable(ownerByKeyHash.get(sha256(key)));
  }

  /** The key created on this start, if the key file was new (to print once). */
  public Optional<String> createdKey() {
    return Optional.ofNullable(createdKey);
  }

  /** A stable, non-secret id for whoever holds {@code key}. */
  public static String ownerOf(String key) {
    return "o_" + sha256(key).substring(0, 16);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
