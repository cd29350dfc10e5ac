package dev.skillhost.host.testing;

import dev.skillhost.api.Provider;
import io.vertx.core.Future;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.pf4j.ExtensionPoint;

/**
 * Builds real PF4J plugin jars for tests: the sim plugin from its compiled classes (system property
 * {@value #SIM_CLASSES}, set by the host pom), and deliberately broken plugins compiled at test
 * time. Jars are deployed the ways people deploy: an atomic move from a temp name, a plain
 * {@code Files.copy} over the old jar, or an in-place overwrite like {@code cp}.
 */
public final class PluginJarBuilder {

  /** Directory of the compiled sim plugin classes, META-INF/extensions.idx included. */
  public static final String SIM_CLASSES = "skillhost.sim.classes";
  /** The Plugin-Requires the real plugins carry. */
  public static final String REQUIRES = ">=0.1.0";

  private final Manifest manifest = new Manifest();
  private final Map<String, byte[]> entries = new TreeMap<>();

  private PluginJarBuilder(String pluginId, String version) {
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (pluginId != null) main.putValue("Plugin-Id", pluginId);
    if (version != null) main.putValue("Plugin-Version", version);
    main.putValue("Plugin-Requires", REQUIRES);
    main.putValue("Plugin-Provider", "Skillhost tests");
  }

  /** A plugin jar with this id and version (either may be null to build a broken manifest). */
  public static PluginJarBuilder create(String pluginId, String version) {
    return new PluginJarBuilder(pluginId, version);
  }

  /** The sim plugin, version {@code version}, deployed atomically as {@code dir/fileName}. */
  public static Path simJar(Path dir, String fileName, String version) throws IOException {
    return create("sim", version).withSimClasses().deploy(dir, fileName);
  }

  /** Not a zip at all, though named .jar. */
  public static Path corruptJar(Path dir, String fileName) throws IOException {
    return deployBytes(dir, fileName, "PK\u0003\u0004 this is not a jar".getBytes(StandardCharsets.ISO_8859_1));
  }

  /** A plugin whose Provider extension throws in its static initialiser. */
  public static Path failingInitJar(Path dir, String fileName, String pluginId, String version) throws IOException {
    return create(pluginId, version).withFailingProvider().deploy(dir, fileName);
  }

  /** A plugin whose extension index names a class the jar does not contain. */
  public static Path missingClassJar(Path dir, String fileName, String pluginId, String version) throws IOException {
    return create(pluginId, version).withExtensionIndex("dev.skillhost.testplugin.Missing").deploy(dir, fileName);
  }

  /** The sim classes that needs a host version nobody has. */
  public static Path futureHostJar(Path dir, String fileName, String version) throws IOException {
    return create("sim", version).requires(">=9.0.0").withSimClasses().deploy(dir, fileName);
  }

  public PluginJarBuilder requires(String requires) {
    manifest.getMainAttributes().putValue("Plugin-Requires", requires);
    return this;
  }

  /** Adds every file under the directory named by {@value #SIM_CLASSES}. */
  public PluginJarBuilder withSimClasses() {
    String dir = System.getProperty(SIM_CLASSES);
    if (dir == null || !Files.isRegularFile(Path.of(dir, "META-INF", "extensions.idx"))) {
      throw new IllegalStateException("System property " + SIM_CLASSES + " must name plugins/sim/target/classes"
          + " with META-INF/extensions.idx in it (is " + dir + "); build the sim plugin first:"
          + " mvn -o install -DskipTests -pl plugins/api,plugins,plugins/sim");
    }
    return withTree(Path.of(dir));
  }

  /** Adds every file under {@code root}, named by its relative path. */
  public PluginJarBuilder withTree(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        entries.put(root.relativize(file).toString().replace(File.separatorChar, '/'), Files.readAllBytes(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A Provider whose static initialiser throws, listed in the extension index. */
  public PluginJarBuilder withFailingProvider() {
    String name = "dev.skillhost.testplugin.FailingProvider";
    return withClass(name, """
        package dev.skillhost.testplugin;

        import dev.skillhost.api.*;
        import io.vertx.core.Future;

        @org.pf4j.Extension
        public final class FailingProvider implements Provider {
          static {
            if (Boolean.parseBoolean("true")) throw new IllegalStateException("static initialiser failed on purpose");
          }
          public ProviderInfo info() { return null; }
          public Future<Handle> submit(Job job, ProviderContext ctx) { return null; }
          public Future<Progress> poll(Handle handle, ProviderContext ctx) { return null; }
        }
        """).withExtensionIndex(name);
  }

  /** Compiles {@code source} against the test classpath (the SPI is on it) and adds its classes. */
  public PluginJarBuilder withClass(String className, String source) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) throw new IllegalStateException("no system Java compiler: run the tests on a JDK");
    try {
      Path work = Files.createTempDirectory("plugin-src");
      Path src = work.resolve(className.substring(className.lastIndexOf('.') + 1) + ".java");
      Path out = Files.createDirectories(work.resolve("classes"));
      Files.writeString(src, source);
      ByteArrayOutputStream errors = new ByteArrayOutputStream();
      int rc = javac.run(null, null, errors, "-proc:none", "--release", "17", "-classpath", classpath(),
          "-d", out.toString(), src.toString());
      if (rc != 0) throw new IllegalStateException("cannot compile " + className + ":\n" + errors);
      return withTree(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes META-INF/extensions.idx naming these classes (PF4J's legacy index format). */
  public PluginJarBuilder withExtensionIndex(String... classNames) {
    return withEntry("META-INF/extensions.idx", String.join("\n", classNames).concat("\n").getBytes(StandardCharsets.UTF_8));
  }

  public PluginJarBuilder withEntry(String name, byte[] bytes) {
    entries.put(name, bytes.clone());
    return this;
  }

  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        if (e.getKey().equals("META-INF/MANIFEST.MF")) continue;
        jar.putNextEntry(new JarEntry(e.getKey()));
        jar.write(e.getValue());
        jar.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Writes the jar to a dotfile temp name in {@code dir}, then renames it into place atomically. */
  public Path deploy(Path dir, String fileName) throws IOException {
    return deployBytes(dir, fileName, toBytes());
  }

  /** {@code Files.copy(…, REPLACE_EXISTING)} from a temp file elsewhere: the old file is unlinked first. */
  public Path copyOver(Path dir, String fileName) throws IOException {
    Path tmp = Files.createTempFile("plugin", ".jar");
    try {
      Files.write(tmp, toBytes());
      return Files.copy(tmp, dir.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Like {@code cp} onto an existing file: truncates and rewrites the same inode, in pieces. */
  public Path overwriteInPlace(Path dir, String fileName) throws IOException {
    return overwriteInPlace(dir.resolve(fileName), toBytes());
  }

  /** Overwrites {@code target} in place with {@code bytes}, as {@code cp} would. */
  public static Path overwriteInPlace(Path target, byte[] bytes) throws IOException {
    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      for (int off = 0; off < bytes.length; off += 4096) {
        out.write(bytes, off, Math.min(4096, bytes.length - off));
        out.flush();
      }
    }
    return target;
  }

  private static Path deployBytes(Path dir, String fileName, byte[] bytes) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + fileName + "." + UUID.randomUUID() + ".tmp");
    Files.write(tmp, bytes);
    return Files.move(tmp, dir.resolve(fileName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The test classpath (surefire hides it behind a manifest jar), plus where the SPI and its deps live. */
  private static String classpath() {
    Set<String> entries = new LinkedHashSet<>();
    for (String prop : List.of("surefire.test.class.path", "java.class.path")) {
      String value = System.getProperty(prop);
      if (value != null && !value.isBlank()) entries.addAll(List.of(value.split(File.pathSeparator)));
    }
    for (Class<?> type : List.of(Provider.class, Future.class, ExtensionPoint.class)) {
      entries.add(location(type));
    }
    return String.join(File.pathSeparator, new ArrayList<>(entries));
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (Exception e) {
      throw new IllegalStateException("cannot locate " + type, e);
    }
  }
}
