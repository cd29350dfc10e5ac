package dev.skillhost.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each loaded plugin version extracts ~85 MB of FFmpeg under a directory named after its jar copy.
 * Stopping removes its own; starting removes those whose jar copy is gone (a crash left them), and
 * nothing that belongs to a live version or to anything else.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NativesCleanupTest {

  private static final String CACHE_DIR = "org.bytedeco.javacpp.cachedir";
  private static final String OWN = "skillhost-plugin-local-0.1.0.1a2b3c4d.jar";
  private static final String LIVE = "skillhost-plugin-local-0.1.0.0badcafe.jar";
  private static final String ORPHAN = "skillhost-plugin-local-0.1.0.deadbeef.jar";
  private static final String UNRELATED = "ffmpeg-7.1.1-1.5.12-linux-x86_64-gpl.jar";
  private static final String OTHER_PLUGIN = "skillhost-plugin-sim-0.1.0.12345678.jar";

  @TempDir Path dir;

  @Test
  void start_sweeps_orphans_and_stop_removes_its_own_extraction() throws Exception {
    Path work = Files.createDirectories(dir.resolve("plugin-work"));
    Path own = jarOfClasses(work.resolve(OWN));
    Files.copy(own, work.resolve(LIVE));
    Path cache = Files.createDirectories(dir.resolve("cache"));
    for (String name : List.of(OWN, LIVE, ORPHAN, UNRELATED, OTHER_PLUGIN)) {
      Files.writeString(Files.createDirectories(cache.resolve(name).resolve("lib")).resolve("libx.so"), "x");
    }
    String previous = System.setProperty(CACHE_DIR, cache.toString());
    Path javacpp = Path.of(org.bytedeco.javacpp.Loader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (URLClassLoader plugin = new URLClassLoader(new URL[] {own.toUri().toURL(), javacpp.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Class<?> natives = plugin.loadClass("dev.skillhost.local.codec.Natives");
      natives.getMethod("sweepStale").invoke(null);
      assertThat(names(cache)).containsExactlyInAnyOrder(OWN, LIVE, UNRELATED, OTHER_PLUGIN);
      natives.getMethod("release").invoke(null);
      assertThat(names(cache)).containsExactlyInAnyOrder(LIVE, UNRELATED, OTHER_PLUGIN);
    } finally {
      if (previous == null) System.clearProperty(CACHE_DIR);
      else System.setProperty(CACHE_DIR, previous);
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
    }
  }

  /** This plugin's compiled classes as a jar, as the host's shadow copy of the plugin would hold them. */
  private static Path jarOfClasses(Path jar) throws IOException {
    Path classes = Path.of(System.getProperty("skillhost.local.classes"));
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
        Stream<Path> all = Files.walk(classes)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
        Files.copy(p, out);
        out.closeEntry();
      }
    }
    return jar;
  }
}
