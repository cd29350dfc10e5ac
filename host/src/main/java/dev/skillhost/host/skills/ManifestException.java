package dev.skillhost.host.skills;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A manifest was refused. Thrown only at the edges (API, CLI); inside, problems travel as values
 * in a {@link LoadResult}. Cheap: no stack trace.
 */
public final class ManifestException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient List<ManifestProblem> problems;

  public ManifestException(List<ManifestProblem> problems) {
    super(problems.stream().map(ManifestProblem::toString).collect(Collectors.joining("\n")), null, false, false);
    this.problems = List.copyOf(problems);
  }

  public List<ManifestProblem> problems() {
    return problems;
  }
}
