package dev.skillhost.host.skills;

import dev.skillhost.api.ProviderInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a {@link SkillRegistry} runs.
 *
 * @param dir       the directory of manifests ({@code *.yaml}); watched for changes
 * @param providers the loaded provider with an id, if any (null: none known, each manifest gets a
 *                  "provider not loaded" warning); called on the watcher thread, so it must read a
 *                  thread-safe snapshot
 * @param debounce  how long a file must stay quiet after a change before it is reloaded
 *                  ({@link #DEFAULT_DEBOUNCE} when null)
 */
public record SkillRegistryOptions(Path dir, Function<String, Optional<ProviderInfo>> providers, Duration debounce) {

  /** Editors write a file in several steps; 50 ms of quiet keeps an edit live well within 100 ms. */
  public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(50);

  public SkillRegistryOptions {
    if (dir == null) {
      throw new IllegalArgumentException("a skills directory is required");
    }
    debounce = debounce == null ? DEFAULT_DEBOUNCE : debounce;
  }

  public static SkillRegistryOptions of(Path dir) {
    return new SkillRegistryOptions(dir, null, DEFAULT_DEBOUNCE);
  }
}
