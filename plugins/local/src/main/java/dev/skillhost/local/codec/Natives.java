package dev.skillhost.local.codec;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swresample;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * FFmpeg's native libraries, as bundled in this plugin's jar.
 *
 * <p>The JVM lets a JNI library file be loaded by one class loader only, and a hot-swapped plugin
 * version is a second class loader. JavaCPP extracts libraries to
 * {@code <cachedir>/<jar file name>/…}; the host loads every plugin jar from a copy with a unique
 * name, so each loaded version extracts its own files (and were the path shared, JavaCPP's Loader
 * would retry with renamed copies of the JNI libraries). The catch is disk: about 85 MB per loaded
 * version. So this class removes its own extraction when the plugin stops, and those of earlier
 * copies whose jar is gone (a crash left them behind).
 */
public final class Natives {

  /** The host's shadow copies are named {@code <name>.<8 hex>.jar}. */
  private static final Pattern SHADOW = Pattern.compile("(.+)\\.[0-9a-f]{8}\\.jar");

  private static boolean loaded;

  private Natives() {}

  /** Loads avutil, avcodec, avformat, swscale and swresample once; later calls return at once. */
  public static synchronized void load() {
    if (loaded) return;
    Loader.load(avutil.class);
    Loader.load(avcodec.class);
    Loader.load(avformat.class);
    Loader.load(swscale.class);
    Loader.load(swresample.class);
    avutil.av_log_set_level(avutil.AV_LOG_QUIET);
    loaded = true;
  }

  /** Deletes extractions left by copies of this plugin's jar that no longer exist. */
  public static void sweepStale() throws IOException {
    Optional<Path> jar = ownJar();
    if (jar.isEmpty()) return;
    var own = SHADOW.matcher(jar.get().getFileName().toString());
    if (!own.matches()) return;
    Path cache = Loader.getCacheDir().toPath();
    try (Stream<Path> dirs = Files.list(cache)) {
      for (Path dir : dirs.toList()) {
        var other = SHADOW.matcher(dir.getFileName().toString());
        boolean sibling = other.matches() && other.group(1).equals(own.group(1));
        if (sibling && Files.isDirectory(dir) && !Files.exists(jar.get().resolveSibling(dir.getFileName()))) {
          deleteTree(dir);
        }
      }
    }
  }

  /**
   * Ends JavaCPP's deallocator thread (it would keep this class loader alive) and deletes this
   * jar's extracted libraries. Mapped libraries stay usable once unlinked, so this is safe while
   * the class loader is still being torn down.
   */
  public static void release() throws IOException {
    Pointer.interruptDeallocatorThread();
    Optional<Path> jar = ownJar();
    if (jar.isPresent() && SHADOW.matcher(jar.get().getFileName().toString()).matches()) {
      deleteTree(Loader.getCacheDir().toPath().resolve(jar.get().getFileName().toString()));
    }
  }

  /** The jar this class was loaded from, if it was loaded from a jar. */
  static Optional<Path> ownJar() {
    try {
      var source = Natives.class.getProtectionDomain().getCodeSource();
      if (source == null) return Optional.empty();
      Path path = new File(source.getLocation().toURI()).toPath();
      return path.toString().endsWith(".jar") ? Optional.of(path) : Optional.empty();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
