package dev.skillhost.host.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The host's content-addressed file store: uploads, provider outputs and inputs, each kept once
 * under the SHA-256 of its bytes in a {@link Blobs} store ({@link DirBlobs}: {@code <root>/ab/abcdef…}
 * on the shared directory). Metadata and who may see a file live in the {@link Database}; a file
 * is visible through the API only to the owners it was {@linkplain #grant granted} to.
 *
 * <p>All disk and database work runs off the event loop; futures complete on the caller's context.
 */
public final class FileStore {

  private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern SUFFIX = Pattern.compile("[A-Za-z0-9._-]{0,32}");
  private static final String COLUMNS = "f.id, f.mime, f.size, f.created_at";

  private final Vertx vertx;
  private final Database db;
  private final Blobs blobs;
  private final Path scratchDir;

  private FileStore(Vertx vertx, Database db, Blobs blobs, Path scratchDir) {
    this.vertx = vertx;
    this.db = db;
    this.blobs = blobs;
    this.scratchDir = scratchDir;
  }

  /**
   * The store with its bytes in the directory {@code root} ({@link DirBlobs}). Creates the
   * directories if needed (the tables are the store's schema). {@code scratchDir} should be on the same disk as {@code root},
   * so moving a finished upload in is a rename.
   */
  public static Future<FileStore> open(Vertx vertx, Database db, Path root, Path scratchDir) {
    Path r = root.toAbsolutePath().normalize();
    return vertx.executeBlocking(() -> Files.createDirectories(r), false)
        .compose(v -> open(vertx, db, new DirBlobs(r), scratchDir));
  }

  /** The store with its bytes in {@code blobs}; {@code scratchDir} is local space for uploads and fetches. */
  public static Future<FileStore> open(Vertx vertx, Database db, Blobs blobs, Path scratchDir) {
    Path s = scratchDir.toAbsolutePath().normalize();
    return vertx.executeBlocking(() -> Files.createDirectories(s), false).map(v -> new FileStore(vertx, db, blobs, s));
  }

  /** Whether {@code s} has the shape of a file id (64 lowercase hex digits). */
  public static boolean isFileId(String s) {
    return s != null && ID.matcher(s).matches();
  }

  /**
   * Moves {@code file} into the store (or deletes it if the same bytes are already stored) and
   * records its metadata if new. The type is sniffed from the bytes; {@code mimeHint} is used only
   * when no signature matches.
   */
  public Future<FileInfo> put(Path file, String mimeHint) {
    return vertx.executeBlocking(() -> moveIn(file, mimeHint), false).compose(this::record);
  }

  /** Stores bytes held in memory; for small files. */
  public Future<FileInfo> put(Buffer bytes, String mimeHint) {
    return vertx.executeBlocking(() -> {
      Path tmp = scratch(".put");
      try {
        Files.write(tmp, bytes.getBytes());
        return moveIn(tmp, mimeHint);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }, false).compose(this::record);
  }

  /** Lets {@code owner} see the file. Fails with {@link NoSuchElementException} if there is no such file. */
  public Future<Void> grant(String fileId, String owner) {
    if (!isFileId(fileId)) {
      return Future.failedFuture(new IllegalArgumentException("not a file id: " + clip(fileId)));
    }
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO file_owners(file_id, owner) SELECT id, ? FROM files WHERE id = ? ON CONFLICT DO NOTHING")) {
        ps.setString(1, owner);
        ps.setString(2, fileId);
        if (ps.executeUpdate() == 0 && one(c, "SELECT " + COLUMNS + " FROM files f WHERE f.id = ?", fileId).isEmpty()) {
          throw new NoSuchElementException("no file " + fileId);
        }
      }
      return null;
    });
  }

  /**
   * Records that {@code fileId} is a provider output the host copied, for {@link #sweepKept}.
   * The first copy's time counts.
   */
  public Future<Void> markKept(String fileId, long now) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO kept_outputs(file_id, kept_at) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
        ps.setString(1, fileId);
        ps.setLong(2, now);
        ps.executeUpdate();
      }
      return null;
    });
  }

  /**
   * Removes kept outputs copied before {@code cutoff} (epoch ms): their rows first, then their
   * bytes, so a crash in between leaves only unreferenced bytes. Answers how many went. The
   * store is content-addressed: bytes a user also uploaded under the same id go with them.
   */
  public Future<Integer> sweepKept(long cutoff) {
    return db.write(c -> {
      java.util.List<String> ids = new java.util.ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT file_id FROM kept_outputs WHERE kept_at < ?")) {
        ps.setLong(1, cutoff);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
      }
      for (String table : new String[] {"kept_outputs WHERE file_id", "file_owners WHERE file_id", "files WHERE id"}) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " = ?")) {
          for (String id : ids) {
            ps.setString(1, id);
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      return ids;
    }).compose(ids -> vertx.executeBlocking(() -> {
      for (String id : ids) {
        blobs.delete(id);
      }
      return ids.size();
    }, false));
  }

  /** The file if {@code owner} may see it; empty for unknown, malformed or other owners' ids alike. */
  public Future<Optional<FileInfo>> find(String fileId, String owner) {
    if (!isFileId(fileId)) {
      return Future.succeededFuture(Optional.empty());
    }
    return db.read(c -> one(c, "SELECT " + COLUMNS
        + " FROM files f JOIN file_owners o ON o.file_id = f.id WHERE f.id = ? AND o.owner = ?", fileId, owner));
  }

  /** The file's metadata with no owner check, for the host's own use (the task engine). */
  public Future<Optional<FileInfo>> info(String fileId) {
    if (!isFileId(fileId)) {
      return Future.succeededFuture(Optional.empty());
    }
    return db.read(c -> one(c, "SELECT " + COLUMNS + " FROM files f WHERE f.id = ?", fileId));
  }

  /**
   * Where a stored file lives on local disk: its blob's local file ({@link DirBlobs} keeps each blob
   * as one). Zero-copy sends, the media probe and providers reading a path need it, so a blob store
   * that keeps no local files is refused here with {@link IllegalStateException}. Throws
   * {@link IllegalArgumentException} unless {@code fileId} is a file id.
   */
  public Path path(String fileId) {
    if (!isFileId(fileId)) {
      throw new IllegalArgumentException("not a file id: " + clip(fileId));
    }
    return blobs.file(fileId).orElseThrow(() -> new IllegalStateException(
        "blob store " + blobs.getClass().getSimpleName() + " keeps no local file for " + fileId));
  }

  /** The blob store holding the bytes (for reads by range, and its size, without a local path). */
  public Blobs blobs() {
    return blobs;
  }

  /** A fresh, not yet created path in the scratch directory, ending in {@code suffix} (e.g. {@code .mp4}). */
  public Path scratch(String suffix) {
    String s = suffix == null ? "" : suffix;
    if (!SUFFIX.matcher(s).matches()) {
      throw new IllegalArgumentException("a scratch suffix is up to 32 of [A-Za-z0-9._-], not " + clip(s));
    }
    return scratchDir.resolve(UUID.randomUUID() + s);
  }

  /**
   * The type of a file from its first bytes: a known signature, else {@code text/plain} if it reads
   * as UTF-8 text, else {@code application/octet-stream}.
   */
  public Future<String> sniff(Path file) {
    return vertx.executeBlocking(() -> {
      try (InputStream in = Files.newInputStream(file)) {
        byte[] head = in.readNBytes(Sniffer.HEAD);
        return Sniffer.detect(head, head.length);
      }
    }, false);
  }

  private Digest moveIn(Path file, String mimeHint) throws IOException {
    Digest digest = Digest.of(file, mimeHint);
    blobs.put(digest.id(), file);
    return digest;
  }

  private Future<FileInfo> record(Digest blob) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO files(id, mime, size, created_at) VALUES (?,?,?,?) ON CONFLICT(id) DO NOTHING")) {
        ps.setString(1, blob.id());
        ps.setString(2, blob.mime());
        ps.setLong(3, blob.size());
        ps.setLong(4, System.currentTimeMillis());
        ps.executeUpdate();
      }
      return one(c, "SELECT " + COLUMNS + " FROM files f WHERE f.id = ?", blob.id()).orElseThrow();
    });
  }

  private static Optional<FileInfo> one(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new FileInfo(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)))
            : Optional.empty();
      }
    }
  }

  private static String clip(String s) {
    return s == null ? "null" : s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
