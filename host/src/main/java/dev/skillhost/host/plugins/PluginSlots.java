package dev.skillhost.host.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which jar owns which plugin id, and why the other jars are not live. {@link #scan()} brings it in
 * line with the plugins dir. Not thread-safe: PF4J thread only.
 */
final class PluginSlots {

  private static final Logger log = LoggerFactory.getLogger(PluginSlots.class);

  /** Size, mtime and inode of a jar when last looked at: a change means look again. */
  private record Stamp(long size, long modifiedNanos, Object fileKey) {}

  private final Path pluginsDir;
  private final SlotLoader loader;
  private final Map<String, Slot> slots = new TreeMap<>();        // plugin id → live slot
  private final Map<String, Refusal> refusals = new TreeMap<>();  // file name → why it is not live
  private final Map<String, Stamp> looked = new HashMap<>();      // file name → stamp last looked at

  PluginSlots(Path pluginsDir, SlotLoader loader) {
    this.pluginsDir = pluginsDir;
    this.loader = loader;
  }

  static boolean isPluginJar(String fileName) {
    return !fileName.startsWith(".") && fileName.toLowerCase(Locale.ROOT).endsWith(".jar");
  }

  /** Loads new and changed jars, swaps replaced versions, drops removed ones; returns the slots to retire. */
  List<Slot> scan() throws IOException {
    Map<String, Stamp> present = listJars();
    looked.keySet().retainAll(present.keySet());
    refusals.keySet().retainAll(present.keySet());
    Set<String> orphans = slots.values().stream()
        .filter(s -> !present.containsKey(s.file())).map(Slot::id).collect(Collectors.toSet());

    Set<String> candidates = new TreeSet<>();
    present.forEach((name, stamp) -> {
      if (!stamp.equals(looked.get(name))) candidates.add(name);
    });
    // A jar refused because another file owned its id may take over once that file is gone.
    refusals.values().stream().filter(r -> orphans.contains(r.pluginId())).map(Refusal::file).forEach(candidates::add);

    List<Slot> retired = new ArrayList<>();
    for (String name : candidates) {
      consider(name, present, retired);
    }
    for (Iterator<Slot> it = slots.values().iterator(); it.hasNext(); ) {
      Slot slot = it.next();
      if (!present.containsKey(slot.file())) {
        log.info("plugin {} {}: {} was removed; unloading", slot.id(), slot.version(), slot.file());
        it.remove();
        retired.add(slot);
      }
    }
    return retired;
  }

  /** Every slot, for shutdown; afterwards nothing is live. */
  List<Slot> removeAll() {
    List<Slot> all = new ArrayList<>(slots.values());
    slots.clear();
    refusals.clear();
    looked.clear();
    return all;
  }

  private void consider(String name, Map<String, Stamp> present, List<Slot> retired) {
    looked.put(name, present.get(name));
    Slot owner = slots.values().stream().filter(s -> s.file().equals(name)).findFirst().orElse(null);
    Path shadow = null;
    String sha256;
    try {
      shadow = loader.shadowCopy(pluginsDir.resolve(name));
      sha256 = sha256(shadow);
    } catch (IOException e) {
      if (shadow != null) Slot.deleteShadow(shadow);
      if (e instanceof NoSuchFileException) {
        looked.remove(name); // gone meanwhile: the next scan settles it
      } else {
        refusals.put(name, new Refusal(name, null, null, "cannot read it: " + e));
      }
      return;
    }
    if (owner != null && owner.sha256().equals(sha256)) {
      Slot.deleteShadow(shadow); // touched, not changed
      refusals.remove(name);
      return;
    }
    SlotLoader.Outcome outcome = loader.load(name, shadow, sha256, id -> claimedElsewhere(id, name, present));
    if (outcome instanceof Refusal refusal) {
      log.warn("{}", refusal.text());
      refusals.put(name, refusal);
      return;
    }
    Slot slot = (Slot) outcome;
    String channelTaken = channelClaimedElsewhere(slot);
    if (channelTaken != null) {
      slot.unload();
      Refusal refusal = new Refusal(name, slot.id(), slot.version(), channelTaken);
      log.warn("{}", refusal.text());
      refusals.put(name, refusal);
      return;
    }
    refusals.remove(name);
    Slot previous = slots.put(slot.id(), slot);
    if (previous != null) retired.add(previous);
    if (owner != null && owner != previous && slots.get(owner.id()) == owner) {
      slots.remove(owner.id()); // the file now holds another plugin id
      retired.add(owner);
    }
    log.info("plugin {} {} live from {}{}", slot.id(), slot.version(), name,
        previous == null ? "" : " (replaces " + previous.version() + " from " + previous.file() + ")");
  }

  private String claimedElsewhere(String id, String name, Map<String, Stamp> present) {
    Slot owner = slots.get(id);
    if (owner == null || owner.file().equals(name) || !present.containsKey(owner.file())) return null;
    return "plugin id '" + id + "' is already provided by " + owner.file() + "; one jar per plugin id";
  }

  /** Why one of the new slot's channel ids may not be served by it (another plugin serves it), else null. */
  private String channelClaimedElsewhere(Slot slot) {
    for (LiveChannel channel : slot.channels()) {
      for (Slot other : slots.values()) {
        if (!other.id().equals(slot.id()) && other.channels().stream().anyMatch(c -> c.id().equals(channel.id()))) {
          return "channel '" + channel.id() + "' is already served by plugin " + other.id() + " (" + other.file()
              + "); one plugin per channel id";
        }
      }
    }
    return null;
  }

  private Map<String, Stamp> listJars() throws IOException {
    Map<String, Stamp> jars = new TreeMap<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(pluginsDir)) {
      for (Path path : dir) {
        String name = path.getFileName().toString();
        if (!isPluginJar(name)) continue;
        try {
          BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
          if (attrs.isRegularFile()) {
            jars.put(name, new Stamp(attrs.size(), attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS), attrs.fileKey()));
          }
        } catch (NoSuchFileException e) {
          // removed while listing
        }
      }
    }
    return jars;
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The live providers by id, for the lock-free snapshot. */
  Map<String, LiveProvider> live() {
    Map<String, LiveProvider> live = new HashMap<>();
    slots.forEach((id, slot) -> {
      if (slot.live() != null) live.put(id, slot.live());
    });
    return Map.copyOf(live);
  }

  /** The live channels by channel id, for the lock-free snapshot. */
  Map<String, LiveChannel> channels() {
    Map<String, LiveChannel> channels = new TreeMap<>();
    slots.values().forEach(slot -> slot.channels().forEach(c -> channels.put(c.id(), c)));
    return java.util.Collections.unmodifiableMap(channels);
  }

  /** One status per live plugin, with any refusals about it, then one per other refused jar. */
  List<ProviderStatus> statuses() {
    List<ProviderStatus> statuses = new ArrayList<>();
    Set<Refusal> told = new HashSet<>();
    for (Slot slot : slots.values()) {
      List<String> errors = new ArrayList<>();
      for (Refusal r : refusals.values()) {
        if (r.file().equals(slot.file()) || slot.id().equals(r.pluginId())) {
          errors.add(r.text() + "; version " + slot.version() + " stays live");
          told.add(r);
        }
      }
      statuses.add(new ProviderStatus(slot.id(), ProviderStatus.State.STARTED, slot.version(), slot.file(),
          slot.loadedAt(), slot.live() == null ? null : slot.live().info(), errors.isEmpty() ? null : String.join("; ", errors)));
    }
    for (Refusal r : refusals.values()) {
      if (!told.contains(r)) {
        statuses.add(new ProviderStatus(r.pluginId(), ProviderStatus.State.FAILED, r.version(), r.file(), null, null, r.text()));
      }
    }
    return List.copyOf(statuses);
  }
}
