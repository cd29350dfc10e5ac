package dev.skillhost.host.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * The API keys this host accepts, one per line in {@code <data>/api-keys} (owner-only file).
 * A task's owner is a hash of its key, so the database never holds a key.
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
   * Reads the key file in {@code dataDir}, creating it with one fresh key if it does not exist.
   * Blocking: call at boot.
   */
  public static ApiKeys loadOrCreate(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE_NAME);
    String created = null;
    if (!Files.exists(file)) {
      created = newKey();
      Files.createDirectories(dataDir);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, "# Skillhost API keys, one per line. Keep this file private.\n" + created + "\n");
    }
    List<String> keys = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
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
