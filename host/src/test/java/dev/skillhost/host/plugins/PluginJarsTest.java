package dev.skillhost.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.junit5.Timeout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Every plugin jar the build made can actually be used: on JDK >= 23 javac silently skips PF4J's
 * annotation processor unless it is named, and a jar without META-INF/extensions.idx loads with no
 * extension at all. The reactor builds plugins before the host, so the jars exist here.
 */
class PluginJarsTest {

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void every_built_plugin_jar_has_an_extension_index_and_bundles_no_host_classes() throws IOException {
    Path plugins = Path.of(System.getProperty("basedir", ".")).resolve("../plugins").normalize();
    List<Path> jars = builtPluginJars(plugins);
    assertThat(jars).as("plugin jars under %s/*/target (build the plugins first)", plugins).isNotEmpty();
    for (Path jar : jars) {
      try (JarFile file = new JarFile(jar.toFile())) {
        JarEntry index = file.getJarEntry("META-INF/extensions.idx");
        assertThat(index).as("%s has META-INF/extensions.idx", jar.getFileName()).isNotNull();
        String names = new String(file.getInputStream(index).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(names.lines().filter(l -> !l.isBlank() && !l.startsWith("#")))
            .as("%s lists its extensions", jar.getFileName()).isNotEmpty();
        assertThat(file.getManifest().getMainAttributes().getValue("Plugin-Id"))
            .as("%s has a Plugin-Id", jar.getFileName()).isNotBlank();
        assertThat(Collections.list(file.entries())).extracting(JarEntry::getName)
            .as("%s bundles no SPI, PF4J or Vert.x classes", jar.getFileName())
            .noneMatch(n -> n.startsWith("dev/skillhost/api/") || n.startsWith("org/pf4j/") || n.startsWith("io/vertx/"));
      }
    }
  }

  private static List<Path> builtPluginJars(Path plugins) throws IOException {
    List<Path> jars = new ArrayList<>();
    try (DirectoryStream<Path> modules = Files.newDirectoryStream(plugins, Files::isDirectory)) {
      for (Path module : modules) {
        Path target = module.resolve("target");
        if (!Files.isDirectory(target)) continue;
        try (DirectoryStream<Path> built = Files.newDirectoryStream(target, "skillhost-plugin-*.jar")) {
          for (Path jar : built) {
            String name = jar.getFileName().toString();
            if (name.startsWith("skillhost-plugin-api-") || name.endsWith("-sources.jar") || name.endsWith("-javadoc.jar")) {
              continue;
            }
            jars.add(jar);
          }
        }
      }
    }
    return jars;
  }
}
