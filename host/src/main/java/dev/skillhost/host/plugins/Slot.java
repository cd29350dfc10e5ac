package dev.skillhost.host.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded plugin version: its own PF4J manager, the shadow copy it was loaded from and the
 * provider and channels it serves. Touched only on the PF4J thread, except {@link #live()}.
 *
 * @param file     the owning jar's file name in the plugins dir
 * @param sha256   the jar's content hash, to tell a real replacement from a touch
 * @param live     the provider it serves, or null for a plugin of channels only
 * @param channels the chat channels it serves, maybe none
 */
record Slot(
    String id,
    String version,
    String file,
    String sha256,
    Path shadow,
    Instant loadedAt,
    SingleJarPluginManager manager,
    LiveProvider live,
    java.util.List<LiveChannel> channels) implements SlotLoader.Outcome {

  private static final Logger log = LoggerFactory.getLogger(Slot.class);

  Slot {
    channels = java.util.List.copyOf(channels);
  }

  /** Marks the provider and channels replaced: later calls go to the new version. */
  void retire() {
    if (live != null) live.retire();
    channels.forEach(LiveChannel::retire);
  }

  /** Calls in flight on its provider and channels. */
  int inFlight() {
    return (live == null ? 0 : live.inFlight()) + channels.stream().mapToInt(LiveChannel::inFlight).sum();
  }

  /** Stops and unloads the plugin and deletes its shadow copy; never throws. */
  void unload() {
    unload(manager, id, shadow);
  }

  static void unload(SingleJarPluginManager manager, String id, Path shadow) {
    if (manager != null && id != null) {
      try {
        if (manager.getPlugin(id) != null && !manager.unloadPlugin(id)) {
          log.warn("PF4J did not unload plugin {} from {}", id, shadow.getFileName());
        }
      } catch (Throwable t) { // PF4J catches Exception only; a LinkageError on stop must not stop the host
        log.warn("unloading plugin {} from {} failed", id, shadow.getFileName(), t);
      }
    }
    deleteShadow(shadow);
  }

  static void deleteShadow(Path shadow) {
    try {
      Files.deleteIfExists(shadow);
    } catch (IOException e) {
      log.warn("cannot delete shadow copy {}", shadow, e);
    }
  }
}
