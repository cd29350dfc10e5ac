package dev.skillhost.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;

/**
 * The host's content-addressed file store, as a provider sees it. Inputs arrive as artifact ids;
 * outputs a provider makes itself go in here and are reported by id in {@link Output#file()}.
 */
public interface Artifacts {

  /** The file on disk for an artifact id, for reading only. Fails if there is no such artifact. */
  Future<Path> path(String fileId);

  /**
   * Stores a file the provider wrote (e.g. under {@link #scratch(String)}), moving it into the
   * store. The content type is sniffed from the bytes; {@code mimeHint} is used only if sniffing
   * finds nothing.
   */
  Future<StoredFile> store(Path file, String mimeHint);

  /** Stores bytes held in memory; for small outputs only. */
  Future<StoredFile> store(Buffer bytes, String mimeHint);

  /** A fresh path in the host's scratch area, not yet created, ending in {@code suffix}. */
  Path scratch(String suffix);

  /**
   * A stored file.
   *
   * @param id   content address (sha-256, hex)
   * @param mime sniffed content type
   * @param size bytes
   */
  record StoredFile(String id, String mime, long size) {}
}
