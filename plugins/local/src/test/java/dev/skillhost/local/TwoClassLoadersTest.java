package dev.skillhost.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.local.support.VideoCheck;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JNI rule under a hot swap: the JVM lets only one class loader load a given JNI library file,
 * and a swapped-in plugin version is a second class loader in the same JVM. Both versions encode,
 * at the same time, in either of the two ways it can happen: loaded from jar copies of their own
 * (the host's shadow copies), each gets its own extraction directory; loaded from the very same jar
 * paths, JavaCPP's Loader meets "already loaded in another classloader" and loads a renamed copy
 * of each JNI library ({@code libjniavcodec0.so}) while the FFmpeg libraries are shared.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TwoClassLoadersTest {

  private static final List<String> NATIVE_JARS = List.of(
      "org/bytedeco/javacpp/Loader.class",
      "org/bytedeco/javacpp/linux-x86_64/libjnijavacpp.so",
      "org/bytedeco/ffmpeg/global/avcodec.class",
      "org/bytedeco/ffmpeg/linux-x86_64-gpl/libavcodec.so.61");

  private static final String CACHE_DIR = "org.bytedeco.javacpp.cachedir";

  @TempDir static Path dir;

  private static String previousCache;

  @BeforeAll
  static void ownCache() {
    // loaders made here read it when their JavaCPP first extracts; the test's own loader is unaffected
    previousCache = System.setProperty(CACHE_DIR, dir.resolve("cache").toString());
  }

  @AfterAll
  static void restoreCache() {
    if (previousCache == null) System.clearProperty(CACHE_DIR);
    else System.setProperty(CACHE_DIR, previousCache);
  }

  @Test
  void two_loaders_with_jar_copies_of_their_own_both_encode() throws Exception {
    URLClassLoader v1 = plugin(copies("v1"));
    URLClassLoader v2 = plugin(copies("v2"));
    Path out1 = encode(v1, "v1.mp4");
    Path out2 = encode(v2, "v2.mp4");
    encode(v1, "v1-again.mp4");
    assertThat(v1.loadClass("org.bytedeco.javacpp.Loader")).isNotSameAs(v2.loadClass("org.bytedeco.javacpp.Loader"));
    VideoCheck.of(out1).assertPlayable(64, 64, 3, 0.3);
    VideoCheck.of(out2).assertPlayable(64, 64, 3, 0.3);
    assertThat(extracted("v1")).contains("libjniavcodec.so").doesNotContain("libjniavcodec0.so");
    assertThat(extracted("v2")).contains("libjniavcodec.so").doesNotContain("libjniavcodec0.so");
    v1.close();
    VideoCheck.of(encode(v2, "v2-after-v1-closed.mp4")).assertPlayable(64, 64, 3, 0.3);
    v2.close();
  }

  @Test
  void two_loaders_on_the_same_jar_paths_both_encode_through_renamed_jni_libraries() throws Exception {
    List<URL> shared = copies("shared");
    URLClassLoader first = plugin(shared);
    URLClassLoader second = plugin(shared);
    VideoCheck.of(encode(first, "first.mp4")).assertPlayable(64, 64, 3, 0.3);
    VideoCheck.of(encode(second, "second.mp4")).assertPlayable(64, 64, 3, 0.3);
    assertThat(extracted("shared")).contains("libjniavcodec.so", "libjniavcodec0.so", "libavcodec.so.61")
        .doesNotContain("libavcodec0.so.61");
    first.close();
    second.close();
  }

  /** File names JavaCPP extracted from the FFmpeg natives jar copied for {@code tag}. */
  private static List<String> extracted(String tag) throws IOException {
    Path natives = dir.resolve("cache").resolve("ffmpeg-7.1.1-1.5.12-linux-x86_64-gpl." + tag + ".jar");
    try (var files = Files.walk(natives)) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
    }
  }

  /** A class loader like PF4J's for one plugin version: the plugin's classes and its own jars. */
  private static URLClassLoader plugin(List<URL> jars) throws IOException {
    List<URL> urls = new ArrayList<>();
    urls.add(Path.of(System.getProperty("skillhost.local.classes")).toUri().toURL());
    urls.addAll(jars);
    return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }

  /** The bytedeco jars copied under names unique to {@code tag}, as the host copies plugin jars. */
  private static List<URL> copies(String tag) throws IOException {
    Path to = Files.createDirectories(dir.resolve(tag));
    List<URL> urls = new ArrayList<>();
    for (String resource : NATIVE_JARS) {
      Path jar = jarOf(resource);
      String name = jar.getFileName().toString().replace(".jar", "." + tag + ".jar");
      urls.add(Files.copy(jar, to.resolve(name)).toUri().toURL());
    }
    return urls;
  }

  private static Path jarOf(String resource) {
    String url = ClassLoader.getSystemResource(resource).toString();
    return Path.of(java.net.URI.create(url.substring("jar:".length(), url.indexOf("!/"))));
  }

  private static Path encode(ClassLoader loader, String name) throws Exception {
    Class<?> warmup = loader.loadClass("dev.skillhost.local.codec.Warmup");
    try {
      return (Path) warmup.getMethod("encode", Path.class, int.class, int.class, int.class)
          .invoke(null, dir.resolve(name), 64, 64, 3);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
    }
  }
}
