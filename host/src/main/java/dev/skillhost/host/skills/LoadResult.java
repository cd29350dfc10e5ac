package dev.skillhost.host.skills;

import java.util.List;

/**
 * What loading one manifest gave: the skill when it has no errors, and every problem found, in
 * file order. Warnings do not stop a skill from loading.
 *
 * @param skill    the loaded skill, or null when any problem is an error
 * @param problems every error and warning, sorted by position
 */
public record LoadResult(Skill skill, List<ManifestProblem> problems) {

  public LoadResult {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return skill != null;
  }

  public List<ManifestProblem> errors() {
    return problems.stream().filter(ManifestProblem::isError).toList();
  }

  /** The skill, or a {@link ManifestException} carrying the problems: for the API and CLI edge. */
  public Skill orThrow() throws ManifestException {
    if (skill == null) {
      throw new ManifestException(problems);
    }
    return skill;
  }
}
