package dev.skillhost.host.tasks;

import dev.skillhost.host.skills.Skill;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The skills the engine consults: by id, or the one bound to a provider. */
public interface SkillLookup {

  Optional<Skill> byId(String id);

  Optional<Skill> forProvider(String provider);

  /** Over a live snapshot of loaded skills (the registry's). */
  static SkillLookup of(Supplier<List<Skill>> skills) {
    return new SkillLookup() {
      @Override
      public Optional<Skill> byId(String id) {
        return skills.get().stream().filter(s -> s.id().equals(id)).findFirst();
      }

      @Override
      public Optional<Skill> forProvider(String provider) {
        return skills.get().stream().filter(s -> s.provider().equals(provider)).findFirst();
      }
    };
  }

  SkillLookup NONE = of(List::of);
}
