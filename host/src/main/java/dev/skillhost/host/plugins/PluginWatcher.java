package dev.skillhost.host.plugins;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the plugins dir on its own thread (WatchService blocks) and calls {@code onChange} once a
 * jar has been quiet for the debounce time: {@code cp} fires a CREATE and several MODIFYs, and a
 * half-written jar must not be loaded before the last of them. Dotfiles (temp names of atomic
 * deploys) and non-jars are ignored; an OVERFLOW (events lost) asks for a full rescan.
 */
final class PluginWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PluginWatcher.class);
  private static final String OVERFLOW_KEY = "";

  private final Vertx vertx;
  private final Path dir;
  private final long debounceMs;
  private final Runnable onChange;
  private final WatchService watchService;
  private final Map<String, Long> timers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private PluginWatcher(Vertx vertx, Path dir, Duration debounce, Runnable onChange) throws IOException {
    this.vertx = vertx;
    this.dir = dir;
    this.debounceMs = Math.max(1, debounce.toMillis());
    this.onChange = onChange;
    this.watchService = dir.getFileSystem().newWatchService();
    dir.register(watchService, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE, OVERFLOW);
  }

  static PluginWatcher start(Vertx vertx, Path dir, Duration debounce, Runnable onChange) throws IOException {
    PluginWatcher watcher = new PluginWatcher(vertx, dir, debounce, onChange);
    Thread thread = new Thread(watcher::run, "skillhost-plugin-watch");
    thread.setDaemon(true);
    thread.start();
    return watcher;
  }

  private void run() {
    while (!closed) {
      WatchKey key;
      try {
        key = watchService.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      for (WatchEvent<?> event : key.pollEvents()) {
        if (event.kind() == OVERFLOW) {
          schedule(OVERFLOW_KEY);
        } else if (event.context() instanceof Path path && PluginSlots.isPluginJar(path.getFileName().toString())) {
          schedule(path.getFileName().toString());
        }
      }
      if (!key.reset()) {
        log.warn("{} is no longer watched (was it removed?); periodic rescans go on", dir);
        return;
      }
    }
  }

  private void schedule(String name) {
    timers.compute(name, (key, previous) -> {
      if (previous != null) vertx.cancelTimer(previous);
      return vertx.setTimer(debounceMs, id -> {
        timers.remove(key, id);
        if (!closed) onChange.run();
      });
    });
  }

  @Override
  public void close() {
    closed = true;
    try {
      watchService.close();
    } catch (IOException e) {
      log.debug("closing the watch service of {}", dir, e);
    }
    timers.values().forEach(vertx::cancelTimer);
    timers.clear();
  }
}
