package dev.skillhost.host.skills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the skills directory on its own thread and calls back once a manifest has been quiet
 * for the debounce time: an editor's save is a create, a truncate and several writes, and only the
 * last state is worth loading. An overflow (events lost) calls for a full rescan.
 */
final class SkillWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SkillWatcher.class);

  private final Path dir;
  private final long debounceNanos;
  private final Consumer<Path> reload;
  private final Runnable rescan;
  private final Map<Path, Long> due = new HashMap<>();
  private WatchService service;
  private long rescanDue = -1;

  SkillWatcher(Path dir, Duration debounce, Consumer<Path> reload, Runnable rescan) {
    this.dir = dir;
    this.debounceNanos = debounce.toNanos();
    this.reload = reload;
    this.rescan = rescan;
  }

  static boolean isManifest(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yaml") && !name.startsWith(".");
  }

  /** Registers before returning, so that no change after this call is missed. */
  void start() {
    try {
      service = dir.getFileSystem().newWatchService();
      dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch " + dir, e);
    }
    Thread t = new Thread(this::run, "skillhost-skills-watch");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    try {
      if (service != null) {
        service.close();
      }
    } catch (IOException ignored) {
      // closing is best effort; the thread ends on ClosedWatchServiceException either way
    }
  }

  private void run() {
    try {
      while (true) {
        WatchKey key = next();
        if (key != null) {
          collect(key);
        }
        fireDue();
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private WatchKey next() throws InterruptedException {
    long now = System.nanoTime();
    long wake = due.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
    if (rescanDue >= 0) {
      wake = Math.min(wake, rescanDue);
    }
    if (wake == Long.MAX_VALUE) {
      return service.take();
    }
    return wake <= now ? service.poll() : service.poll(wake - now, TimeUnit.NANOSECONDS);
  }

  private void collect(WatchKey key) {
    long deadline = System.nanoTime() + debounceNanos;
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
        rescanDue = deadline;
      } else if (event.context() instanceof Path name && isManifest(name)) {
        due.put(dir.resolve(name), deadline);
      }
    }
    key.reset();
  }

  private void fireDue() {
    long now = System.nanoTime();
    if (rescanDue >= 0 && rescanDue <= now) {
      rescanDue = -1;
      due.clear();
      safely(rescan::run);
      return;
    }
    for (Iterator<Map.Entry<Path, Long>> it = due.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Path, Long> e = it.next();
      if (e.getValue() <= now) {
        it.remove();
        safely(() -> reload.accept(e.getKey()));
      }
    }
  }

  /** One bad reload must not end the watching. */
  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("skills reload failed", e);
    }
  }
}
