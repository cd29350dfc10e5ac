package dev.skillhost.local;

import dev.skillhost.local.codec.EncoderSettings;
import dev.skillhost.local.codec.Mp4Join;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The finished segments of one task's video, kept in the provider's data directory (which outlives
 * a host restart and a plugin swap) so that a run cut off part way resumes after the last whole
 * segment instead of rendering from the start.
 *
 * <p>A video is rendered as segments of {@value #SEGMENT_S} s, each its own H.264 stream opening on
 * a key frame. A segment is written under a temporary name and renamed, after it is flushed to
 * disk, only once complete, so a cut leaves at most a {@code .part} file, which is dropped. Before
 * a kept segment is reused it is read back: it must open, hold exactly the frames its place in
 * the video needs, and match the first segment's size and H.264 parameter sets; the first that
 * does not, and all after it, are rendered again. Segments are reused only for the very same job:
 * operation, parameters, inputs, encoder settings and this class's {@link #FORMAT} (raise it when
 * rendering changes, so a new plugin version never joins its frames to an older one's).
 *
 * <p>One run at a time writes a task's segments: it holds a file lock beside them (which also
 * holds between the class loaders of two plugin versions in one JVM, as during a hot swap, when
 * the retired version's run goes on until it is stopped).
 */
final class Checkpoint {

  static final int FORMAT = 1;
  static final int SEGMENT_S = 2;
  static final Duration KEEP = Duration.ofDays(7);
  static final Duration CLAIM_WAIT = Duration.ofSeconds(60);
  private static final String JOB = "job.json";

  private final Path dir;
  private final Path lockFile;
  private final int frames;
  private final int segmentFrames;
  private final List<Path> kept = new ArrayList<>();
  private String fingerprint;
  private FileChannel lockChannel;
  private FileLock lock;

  private Checkpoint(Path dir, Path lockFile, VideoFormat format) {
    this.dir = dir;
    this.lockFile = lockFile;
    this.frames = format.frames();
    this.segmentFrames = Math.max(1, format.fps() * SEGMENT_S);
  }

  /**
   * The checkpoint of a task, with the segments a cut-off run of the same job left, checked but
   * not yet touched: an older plugin version may still be finishing its run of the task (a swap
   * retires it while its work runs on), so nothing is deleted until {@link #claim}. Blocking
   * file work: call it on a worker.
   */
  static Checkpoint open(Path dataDir, String taskId, JsonObject job, EncoderSettings encoder, VideoFormat format)
      throws IOException {
    Path root = Files.createDirectories(dataDir.resolve("resume"));
    String name = JobRecords.safeName(taskId);
    Checkpoint c = new Checkpoint(root.resolve(name), root.resolve(name + ".lock"), format);
    c.fingerprint = fingerprint(job, encoder, format, c.segmentFrames);
    if (c.sameJob()) c.check(false);
    return c;
  }

  /**
   * Takes the task's segments for this run, waiting while another run of the task (an older
   * plugin version that is being stopped) holds them; then drops what is not reusable. On the job's
   * thread; {@code check} throws when the job is cancelled meanwhile.
   */
  void claim(Runnable check, long now) throws IOException {
    lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    long deadline = System.nanoTime() + CLAIM_WAIT.toNanos();
    while (lock == null) {
      try {
        lock = lockChannel.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        lock = null; // held by another class loader's run in this JVM
      }
      if (lock != null) break;
      check.run();
      if (System.nanoTime() > deadline) {
        throw new IOException("another run of this task kept its segments for over " + CLAIM_WAIT.toSeconds() + " s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        check.run();
      }
    }
    prune(dir.getParent(), now);
    if (!sameJob()) {
      deleteTree(dir);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(JOB), new JsonObject().put("fingerprint", fingerprint).encode());
    }
    kept.clear();
    check(true);
  }

  /** Whether {@link #claim} took the segments for this run. */
  boolean claimed() {
    return lock != null;
  }

  /** Lets another run take the segments. */
  void release() {
    try {
      if (lockChannel != null) lockChannel.close();
    } catch (IOException e) {
      // closing the channel releases the lock whatever it says
    }
  }

  /** Frames already done, whole segments that passed the check. */
  int framesDone() {
    return kept.size() * segmentFrames;
  }

  int segmentFrames() {
    return segmentFrames;
  }

  /** Where segment {@code k} is written until it is complete. */
  Path partial(int k) {
    return dir.resolve(name(k) + ".part");
  }

  /** Flushes a complete segment to disk and gives it its final name: from now on it is reused. */
  void commit(int k, Path partial) {
    if (k != kept.size()) throw new IllegalStateException("segment " + k + " after " + kept.size());
    try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
      ch.force(true);
      Path done = dir.resolve(name(k));
      Files.move(partial, done, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      kept.add(done);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every segment, in order, once all are done. */
  List<Path> segments() {
    if (framesDone() < frames) throw new IllegalStateException(framesDone() + " of " + frames + " frames done");
    return List.copyOf(kept);
  }

  /** Removes the task's segments (it succeeded, failed or was cancelled), and its lock file while it is held. */
  void delete() {
    try {
      deleteTree(dir);
      if (lock != null) Files.deleteIfExists(lockFile);
    } catch (IOException e) {
      // pruned after KEEP
    }
  }

  private boolean sameJob() throws IOException {
    Path record = dir.resolve(JOB);
    return Files.exists(record) && fingerprint.equals(new JsonObject(Files.readString(record)).getString("fingerprint"));
  }

  /**
   * Keeps the leading segments that read back whole and as expected; with {@code clean}, deletes
   * the rest and any {@code .part} file (only once claimed: until then another run may be writing).
   */
  private void check(boolean clean) throws IOException {
    if (clean) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          if (f.getFileName().toString().endsWith(".part")) Files.delete(f);
        }
      }
    }
    Mp4Join.Probe first = null;
    int segments = (frames + segmentFrames - 1) / segmentFrames;
    for (int k = 0; k < segments; k++) {
      Path f = dir.resolve(name(k));
      if (!Files.exists(f)) break;
      int expected = Math.min(segmentFrames, frames - k * segmentFrames);
      Mp4Join.Probe p;
      try {
        p = Mp4Join.probe(f);
      } catch (RuntimeException e) {
        break;
      }
      if (p.packets() != expected || (first != null && !p.sameStream(first))) break;
      if (first == null) first = p;
      kept.add(f);
    }
    if (clean) {
      for (int k = kept.size(); k < segments; k++) Files.deleteIfExists(dir.resolve(name(k)));
    }
  }

  private static String name(int k) {
    return String.format("seg-%05d.mp4", k);
  }

  private static String fingerprint(JsonObject job, EncoderSettings encoder, VideoFormat format, int segmentFrames) {
    JsonObject j = job.copy();
    j.remove("task");
    String text = canonical(j) + "|" + encoder + "|" + format + "|" + segmentFrames + "|" + FORMAT;
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(hash);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** JSON with its keys sorted, so the same job gives the same text however its handle was stored. */
  private static String canonical(Object value) {
    if (value instanceof JsonObject o) {
      Map<String, String> sorted = new TreeMap<>();
      o.forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
      StringBuilder b = new StringBuilder("{");
      sorted.forEach((k, v) -> b.append(new JsonArray().add(k).encode()).append(':').append(v).append(','));
      return b.append('}').toString();
    }
    if (value instanceof JsonArray a) {
      StringBuilder b = new StringBuilder("[");
      a.forEach(v -> b.append(canonical(v)).append(','));
      return b.append(']').toString();
    }
    return new JsonArray().add(value).encode();
  }

  /** Drops the segments of tasks not touched for {@link #KEEP}, with their lock files. */
  private static void prune(Path root, long now) throws IOException {
    try (Stream<Path> entries = Files.list(root)) {
      for (Path d : entries.toList()) {
        if (now - Files.getLastModifiedTime(d).toMillis() > KEEP.toMillis()) deleteTree(d);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
