package dev.skillhost.host.skills;

import dev.skillhost.host.skills.ManifestProblem.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem of one manifest (Javalin's collectErrors): nothing stops at the first. */
final class Problems {

  private final List<ManifestProblem> list = new ArrayList<>();
  private final Positions positions;

  Problems(Positions positions) {
    this.positions = positions;
  }

  Positions positions() {
    return positions;
  }

  void error(String pointer, String message, String hint) {
    add(positions.at(pointer), pointer, Severity.ERROR, message, hint);
  }

  void errorAtKey(String pointer, String message, String hint) {
    add(positions.key(pointer), pointer, Severity.ERROR, message, hint);
  }

  void errorInside(String pointer, int offset, String message, String hint) {
    add(positions.inside(pointer, offset), pointer, Severity.ERROR, message, hint);
  }

  void warning(String pointer, String message, String hint) {
    add(positions.at(pointer), pointer, Severity.WARNING, message, hint);
  }

  void add(Position at, String pointer, Severity severity, String message, String hint) {
    list.add(new ManifestProblem(at, pointer, severity, message, hint));
  }

  boolean hasErrors() {
    return list.stream().anyMatch(ManifestProblem::isError);
  }

  boolean hasErrorAt(String pointer) {
    return list.stream().anyMatch(p -> p.isError() && p.pointer().equals(pointer));
  }

  /** Whether an error concerns a value at or under any of these pointers. */
  boolean hasErrorsUnder(String... pointers) {
    for (ManifestProblem p : list) {
      for (String under : pointers) {
        if (p.isError() && (p.pointer().equals(under) || p.pointer().startsWith(under + "/"))) {
          return true;
        }
      }
    }
    return false;
  }

  /** In file order; problems at one place keep the order they were found in. */
  List<ManifestProblem> sorted() {
    List<ManifestProblem> out = new ArrayList<>(list);
    out.sort(Comparator.comparingInt((ManifestProblem p) -> p.at().line()).thenComparingInt(p -> p.at().column()));
    return List.copyOf(out);
  }
}
