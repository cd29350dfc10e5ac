package dev.skillhost.host.plugins;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads provider (and chat channel) plugins from a directory of PF4J jars and keeps them in line with it: a new jar is
 * loaded, a replaced jar is hot-swapped, a removed jar is unloaded, all without a restart.
 *
 * <p>A new version is loaded, started and checked in its own PF4J manager while the old version
 * still serves; only if it is good is it swapped in, in one atomic step, so {@link #provider}
 * never comes back empty during a swap. The old version then finishes its calls in flight
 * ({@link LiveProvider#call}) and is unloaded. A broken jar (corrupt, no plugin id, a class that
 * does not load, no provider, a host version it does not accept, a second jar for the same id) is
 * refused with its cause in {@link #statuses()}, and whatever was live stays live.
 *
 * <p>Jars are loaded from private copies in {@link PluginHostOptions#workDir()}, so the originals
 * may be overwritten or deleted at any time. All PF4J work runs on one thread of its own;
 * {@link #provider} and {@link #statuses} read an immutable snapshot and may be called from any
 * thread, the event loop included.
 */
public final class PluginHost {

  private static final Logger log = LoggerFactory.getLogger(PluginHost.class);
  private static final long DRAIN_CHECK_MS = 50;

  private record Snapshot(Map<String, LiveProvider> live, List<ProviderStatus> statuses, Map<String, LiveChannel> channels) {
    static final Snapshot EMPTY = new Snapshot(Map.of(), List.of(), Map.of());
  }

  private final Vertx vertx;
  private final PluginHostOptions options;
  private final WorkerExecutor pf4j;
  private final PluginSlots slots;
  private final Circuits circuits;
  private final Set<Future<Void>> unloading = ConcurrentHashMap.newKeySet();
  private volatile Snapshot snapshot = Snapshot.EMPTY;
  private volatile boolean closed;
  private volatile PluginWatcher watcher;
  private volatile long periodic = -1;
  private Future<Void> closing;

  private PluginHost(Vertx vertx, PluginHostOptions options) {
    this.vertx = vertx;
    this.options = options;
    // One thread: PF4J is not thread-safe.
    this.pf4j = vertx.createSharedWorkerExecutor("skillhost-pf4j-" + UUID.randomUUID(), 1, 5, TimeUnit.MINUTES);
    this.circuits = new Circuits(vertx, options.contexts());
    SlotLoader loader = new SlotLoader(options.workDir(), options.systemVersion(), options.contexts(), circuits::of,
        this::provider, this::channel);
    this.slots = new PluginSlots(options.pluginsDir(), loader);
  }

  /**
   * Creates the directories, loads every jar in the plugins dir and starts watching it. Fails only
   * if the directories cannot be used; broken jars are refused and reported, not fatal.
   */
  public static Future<PluginHost> start(Vertx vertx, PluginHostOptions options) {
    PluginHost host = new PluginHost(vertx, options);
    return host.pf4j.executeBlocking(() -> {
          host.prepareDirs();
          return null;
        })
        .compose(v -> host.rescan())
        .compose(v -> host.watch())
        .map(host)
        .recover(err -> host.close().transform(ignored -> Future.failedFuture(err)));
  }

  /** The live provider with this id, if any. Lock-free; any thread. */
  public Optional<LiveProvider> provider(String id) {
    return Optional.ofNullable(snapshot.live().get(id));
  }

  /** Every live provider, sorted by id. Any thread. */
  public List<LiveProvider> providers() {
    return snapshot.live().values().stream().sorted(java.util.Comparator.comparing(LiveProvider::id)).toList();
  }

  /** The circuit breaker of the provider with this id (made on first use; it outlives plugin swaps). Any thread. */
  public ProviderCircuit circuit(String id) {
    return circuits.of(id);
  }

  /** The live chat channel with this id, if any. Lock-free; any thread. */
  public Optional<LiveChannel> channel(String id) {
    return Optional.ofNullable(snapshot.channels().get(id));
  }

  /** Every live chat channel, by id. Any thread. */
  public List<LiveChannel> channels() {
    return List.copyOf(snapshot.channels().values());
  }

  /**
   * One status per live plugin (sorted by id, with any refusal of a newer jar for it), then one
   * per refused jar that has nothing live (sorted by file name). Any thread.
   */
  public List<ProviderStatus> statuses() {
    return snapshot.statuses();
  }

  /**
   * Brings the loaded plugins in line with the plugins dir now. Completes once the new state is
   * live and every replaced or removed version has drained and been unloaded.
   */
  public Future<Void> rescan() {
    return pf4j.<List<Slot>>executeBlocking(() -> {
          if (closed) return List.of();
          List<Slot> retired = slots.scan();
          publish();
          retired.forEach(Slot::retire);
          return retired;
        })
        .compose(this::unload);
  }

  /** Stops watching, lets calls in flight finish (up to the drain timeout) and unloads every plugin. */
  public synchronized Future<Void> close() {
    if (closing != null) return closing;
    closed = true;
    PluginWatcher w = watcher;
    if (w != null) w.close();
    if (periodic >= 0) vertx.cancelTimer(periodic);
    closing = pf4j.<List<Slot>>executeBlocking(() -> {
          List<Slot> all = slots.removeAll();
          snapshot = Snapshot.EMPTY;
          all.forEach(Slot::retire);
          return all;
        })
        .compose(this::unload)
        .compose(v -> Future.all(List.copyOf(unloading)).<Void>mapEmpty())
        .andThen(v -> circuits.close())
        .eventually(pf4j::close);
    return closing;
  }

  private void publish() {
    snapshot = new Snapshot(slots.live(), slots.statuses(), slots.channels());
  }

  private Future<Void> watch() {
    return pf4j.executeBlocking(() -> {
      watcher = PluginWatcher.start(vertx, options.pluginsDir(), options.debounce(), this::rescanQuietly);
      periodic = vertx.setPeriodic(options.rescanInterval().toMillis(), id -> rescanQuietly());
      return null;
    });
  }

  private void rescanQuietly() {
    if (!closed) rescan().onFailure(err -> log.warn("rescan of {} failed", options.pluginsDir(), err));
  }

  private Future<Void> unload(List<Slot> retired) {
    return Future.all(retired.stream().map(this::drainThenUnload).toList()).mapEmpty();
  }

  private Future<Void> drainThenUnload(Slot slot) {
    long deadline = System.nanoTime() + options.drainTimeout().toNanos();
    Future<Void> done = drain(slot, deadline)
        .compose(v -> pf4j.<Void>executeBlocking(() -> {
          slot.unload();
          log.info("plugin {} {} from {} unloaded", slot.id(), slot.version(), slot.file());
          return null;
        }));
    unloading.add(done);
    return done.andThen(ar -> unloading.remove(done));
  }

  private Future<Void> drain(Slot slot, long deadline) {
    if (slot.inFlight() == 0) return Future.succeededFuture();
    if (System.nanoTime() - deadline > 0) {
      log.warn("plugin {} {}: {} calls still in flight after {}; unloading it anyway",
          slot.id(), slot.version(), slot.inFlight(), options.drainTimeout());
      return Future.succeededFuture();
    }
    return vertx.timer(DRAIN_CHECK_MS).compose(v -> drain(slot, deadline));
  }

  /** Leftover shadow copies are from a run that did not close: nothing uses them. */
  private void prepareDirs() throws IOException {
    Files.createDirectories(options.pluginsDir());
    Files.createDirectories(options.workDir());
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(options.workDir(), "*.jar")) {
      for (Path jar : stale) {
        Files.deleteIfExists(jar);
      }
    }
  }
}
