package dev.skillhost.host.plugins;

import java.nio.file.Path;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;

/**
 * A PF4J manager that holds exactly one jar. PF4J cannot hold two versions of one plugin id in a
 * manager, so each loaded version gets its own: the new one is loaded, started and checked while
 * the old one still serves, and the old one is unloaded only after the swap.
 *
 * <p>Not thread-safe (nor is PF4J): used only on the plugin host's PF4J thread.
 */
final class SingleJarPluginManager extends JarPluginManager {

  SingleJarPluginManager(Path shadowDir, String systemVersion) {
    super(shadowDir);
    setSystemVersion(systemVersion);
  }

  /** Reads the manifest descriptor without loading anything; throws for a corrupt jar. */
  PluginDescriptor describe(Path jar) {
    return getPluginDescriptorFinder().find(jar);
  }

  /** Loads the jar; unlike {@code loadPlugin}, a failure surfaces as the exception PF4J threw. */
  PluginWrapper load(Path jar) {
    PluginWrapper wrapper = loadPluginFromPath(jar);
    if (wrapper == null) throw new IllegalStateException("PF4J could not load " + jar.getFileName());
    resolvePlugins();
    return wrapper;
  }

  // Shadow copies are always jars: a stray -Dpf4j.mode=development would make PF4J look for
  // target/classes directories instead and load nothing.
  @Override
  public RuntimeMode getRuntimeMode() {
    return RuntimeMode.DEPLOYMENT;
  }

  // Every slot is wanted: no enabled.txt / disabled.txt lookups in the shadow dir.
  @Override
  protected PluginStatusProvider createPluginStatusProvider() {
    return new PluginStatusProvider() {
      @Override
      public boolean isPluginDisabled(String pluginId) {
        return false;
      }

      @Override
      public void disablePlugin(String pluginId) {}

      @Override
      public void enablePlugin(String pluginId) {}
    };
  }
}
