package dev.skillhost.host.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@link Blobs} in a directory: {@code <root>/ab/abcdef…}, the first two characters of the key
 * as a subdirectory so no directory grows too large. With several nodes the root is on the shared
 * directory; every write is a rename into place (atomic on one file system, NFS included), so a
 * blob appears whole to every node or not at all.
 */
public final class DirBlobs implements Blobs {

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{3,128}");

  private final Path root;

  public DirBlobs(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public void put(String key, Path source) throws IOException {
    Path target = path(key);
    boolean own = owns(source);
    if (Files.exists(target)) {
      if (!own) {
        Files.delete(source);
      }
      return;
    }
    Files.createDirectories(target.getParent());
    // the metadata commit that follows must not outlive the bytes after a power cut
    try (FileChannel ch = FileChannel.open(source, StandardOpenOption.READ)) {
      ch.force(true);
    }
    Path tmp = target.resolveSibling(key + "." + UUID.randomUUID() + ".tmp");
    if (own) {
      Files.copy(source, tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException otherDisk) {
      // copy beside the target first so the target appears whole or not at all
      Files.copy(source, tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      Files.delete(source);
    }
  }

  @Override
  public InputStream open(String key, long offset, long length) throws IOException {
    FileChannel ch = FileChannel.open(path(key), StandardOpenOption.READ);
    try {
      ch.position(offset);
      InputStream in = Channels.newInputStream(ch);
      return length < 0 ? in : new BoundedInputStream(in, length);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public long size(String key) throws IOException {
    return Files.size(path(key));
  }

  @Override
  public boolean delete(String key) throws IOException {
    return Files.deleteIfExists(path(key));
  }

  @Override
  public Optional<Path> file(String key) {
    return Optional.of(path(key));
  }

  private Path path(String key) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("not a blob key: " + key);
    }
    return root.resolve(key.substring(0, 2)).resolve(key);
  }

  /** Whether {@code source} is one of this store's blobs (temporary files have a dot, keys never). */
  private boolean owns(Path source) {
    Path p = source.toAbsolutePath().normalize();
    Path parent = p.getParent();
    String name = p.getFileName().toString();
    return parent != null && root.equals(parent.getParent()) && KEY.matcher(name).matches()
        && parent.getFileName().toString().equals(name.substring(0, 2));
  }

  /** At most {@code left} bytes of a stream (a byte range), closing the stream with it. */
  private static final class BoundedInputStream extends java.io.FilterInputStream {
    private long left;

    BoundedInputStream(InputStream in, long left) {
      super(in);
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = super.read(buf, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(Math.min(n, left));
      left -= skipped;
      return skipped;
    }
  }
}
