package dev.skillhost.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's built artifacts, found from the working directory (the repository root: the
 * cluster module's surefire runs there, and so do {@code make bench} and {@code make cluster}).
 */
public final class Repo {

  public static final String VERSION = "0.1.0";

  private Repo() {}

  public static Path root() {
    Path here = Path.of("").toAbsolutePath();
    if (Files.isDirectory(here.resolve("host")) && Files.isDirectory(here.resolve("skills"))) {
      return here;
    }
    if (Files.isDirectory(here.resolveSibling("host"))) {
      return here.getParent();
    }
    throw new IllegalStateException("run from the repository root (no host/ and skills/ under " + here + ")");
  }

  public static Path hostJar() {
    return built(root().resolve("host/target/skillhost-host-" + VERSION + ".jar"));
  }

  /** A provider plugin jar as {@code scripts/install-plugins.sh} installs it. */
  public static Path pluginJar(String id) {
    return built(root().resolve("plugins/" + id + "/target/skillhost-plugin-" + id + "-" + VERSION + ".jar"));
  }

  public static Path skills() {
    return root().resolve("skills");
  }

  private static Path built(Path p) {
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("not built: " + p + " (mvn verify packages it before the cluster module; or make build)");
    }
    return p;
  }
}
