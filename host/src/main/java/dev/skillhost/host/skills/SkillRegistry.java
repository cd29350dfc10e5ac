package dev.skillhost.host.skills;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The loaded skills: every {@code *.yaml} manifest of a directory, kept live as files change.
 *
 * <p>Readers ({@link #skills()}, {@link #skill(String)}, {@link #statuses()}) see one immutable
 * snapshot, swapped atomically after each change, so they never block and never see half a reload.
 * A watcher thread reloads a changed, new or removed manifest once it has been quiet for the
 * debounce time. A manifest with errors is refused: its problems are reported in
 * {@link #statuses()} and its last good version stays live. When two files claim one skill id,
 * the one loaded second is refused.
 */
public final class SkillRegistry implements AutoCloseable {

  /** What one file gave: the version serving (or null), and the last attempt's outcome. */
  private record FileState(Skill live, List<ManifestProblem> problems, boolean refused, boolean conflict, Instant at) {}

  private record Snapshot(Map<String, Skill> skills, List<SkillStatus> statuses) {}

  private final SkillRegistryOptions options;
  private final SkillLoader loader;
  private final Map<Path, FileState> files = new HashMap<>();
  private final SkillWatcher watcher;
  private volatile Snapshot snapshot = new Snapshot(Map.of(), List.of());

  private SkillRegistry(SkillRegistryOptions options) {
    this.options = options;
    this.loader = SkillLoader.create(options.providers());
    this.watcher = new SkillWatcher(options.dir(), options.debounce(), this::reload, this::scan);
  }

  /** Loads every manifest in the directory (on a worker) and starts watching it. */
  public static Future<SkillRegistry> start(Vertx vertx, SkillRegistryOptions options) {
    SkillRegistry registry = new SkillRegistry(options);
    return vertx.executeBlocking(() -> {
      registry.watcher.start();
      registry.scan();
      return registry;
    });
  }

  /** The live skills, by id. */
  public List<Skill> skills() {
    return List.copyOf(snapshot.skills().values());
  }

  public Optional<Skill> skill(String id) {
    return Optional.ofNullable(snapshot.skills().get(id));
  }

  /** One status per manifest file, by file name. */
  public List<SkillStatus> statuses() {
    return snapshot.statuses();
  }

  /** Stops watching; the skills stay readable. */
  @Override
  public void close() {
    watcher.close();
  }

  /** Loads every manifest, in file-name order (so the first of two claiming one id wins). */
  synchronized void scan() {
    List<Path> present;
    try (Stream<Path> s = Files.list(options.dir())) {
      present = s.filter(SkillWatcher::isManifest).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + options.dir(), e);
    }
    files.keySet().removeIf(f -> !present.contains(f));
    present.forEach(this::apply);
    publish();
  }

  /** Reloads one manifest (changed, new or removed). */
  synchronized void reload(Path file) {
    Map<String, Path> before = owners();
    apply(file);
    if (!owners().keySet().equals(before.keySet())) {
      // an id was freed or taken: a file refused for claiming it may now be served
      files.entrySet().stream().filter(e -> e.getValue().conflict()).map(Map.Entry::getKey).toList().forEach(this::apply);
    }
    publish();
  }

  private void apply(Path file) {
    FileState old = files.get(file);
    if (!Files.isRegularFile(file)) {
      files.remove(file);
      return;
    }
    LoadResult r = loader.load(file);
    Skill keep = old == null ? null : old.live();
    if (!r.ok()) {
      files.put(file, new FileState(keep, r.problems(), true, false, Instant.now()));
      return;
    }
    Path owner = owners().get(r.skill().id());
    if (owner != null && !owner.equals(file)) {
      List<ManifestProblem> problems = new ArrayList<>(r.problems());
      problems.add(new ManifestProblem(r.skill().at(), "/skill", ManifestProblem.Severity.ERROR,
          "skill '" + r.skill().id() + "' is already served from " + owner, "give this manifest its own skill id"));
      files.put(file, new FileState(keep, problems, true, true, Instant.now()));
      return;
    }
    files.put(file, new FileState(r.skill(), r.problems(), false, false, Instant.now()));
  }

  private Map<String, Path> owners() {
    Map<String, Path> owners = new HashMap<>();
    files.forEach((f, s) -> {
      if (s.live() != null) {
        owners.put(s.live().id(), f);
      }
    });
    return owners;
  }

  private void publish() {
    Map<String, Skill> skills = new TreeMap<>();
    List<SkillStatus> statuses = new ArrayList<>();
    files.forEach((f, s) -> {
      if (s.live() != null) {
        skills.put(s.live().id(), s.live());
      }
      statuses.add(new SkillStatus(f.toString(), s.live() == null ? null : s.live().id(),
          s.live() == null ? null : s.live().version(), s.refused(), s.problems(), s.at()));
    });
    statuses.sort(Comparator.comparing(SkillStatus::file));
    snapshot = new Snapshot(Collections.unmodifiableMap(skills), List.copyOf(statuses));
  }
}
