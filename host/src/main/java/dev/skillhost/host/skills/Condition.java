package dev.skillhost.host.skills;

import java.util.List;
import java.util.Map;

/**
 * A compiled CEL condition from a manifest ({@code when:}, {@code confirm:}). Sandboxed: no I/O,
 * no clock, bounded cost. Compiled once at load; evaluation is thread-safe.
 */
public interface Condition {

  /**
   * Evaluates against {@code vars} (names declared by {@link ConditionCompiler}). A runtime error
   * (e.g. a missing key) evaluates to false and is never thrown.
   */
  boolean test(Map<String, Object> vars);

  /** The expression as written. */
  String source();

  /**
   * Every keyword the condition's {@code says()} and {@code says_all()} calls list, in order: what
   * the router scores a request's words against once the condition holds.
   */
  default List<String> keywords() {
    return List.of();
  }
}
