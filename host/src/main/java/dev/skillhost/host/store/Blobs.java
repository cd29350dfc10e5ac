package dev.skillhost.host.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the {@link FileStore} keeps file bytes, by key (the file id), apart from the metadata in
 * the database. The shape is what an S3-compatible object store offers — put an object from a
 * local file, read it whole or a byte range, its size, delete — so such a store can sit behind the
 * same {@code FileStore}. Only {@link DirBlobs} (a directory, shared by every node of a cluster)
 * exists today; no S3 implementation is written yet.
 *
 * <p>Every method blocks: call on a worker (the file store does). Keys are 3 to 128 of
 * {@code [A-Za-z0-9_-]}; a blob, once stored under a key, never changes (the store is content
 * addressed), so {@code put} of a key already present keeps the stored bytes.
 */
public interface Blobs {

  /**
   * Stores {@code source}'s bytes under {@code key}, durably and whole or not at all (readers never
   * see part of a blob), and consumes {@code source}: it is moved in or deleted, unless it is this
   * store's own blob (a provider passing a stored input through), which is left as it is.
   */
  void put(String key, Path source) throws IOException;

  /**
   * Reads {@code length} bytes of the blob from {@code offset} ({@code length < 0}: to the end).
   * The caller closes the stream.
   *
   * @throws NoSuchFileException if there is no such blob
   */
  InputStream open(String key, long offset, long length) throws IOException;

  /**
   * The blob's size in bytes.
   *
   * @throws NoSuchFileException if there is no such blob
   */
  long size(String key) throws IOException;

  /** Removes the blob; answers whether there was one. */
  boolean delete(String key) throws IOException;

  /**
   * The blob as a local file, when this store keeps one ({@link DirBlobs} always does; the path
   * may not exist yet). Zero-copy serving, media probing and providers that read a path use it; an
   * object store would answer empty and those callers would read through {@link #open} instead.
   */
  Optional<Path> file(String key);
}
