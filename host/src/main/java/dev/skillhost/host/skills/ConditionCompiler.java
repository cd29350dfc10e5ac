package dev.skillhost.host.skills;

import java.util.List;

/**
 * Compiles manifest conditions. The variables a condition may use:
 * <ul>
 *   <li>{@code text} (string): the user's request as written;</li>
 *   <li>{@code locale} (string): e.g. {@code zh-CN};</li>
 *   <li>{@code attachments} (map string → int): counts by kind: {@code image}, {@code video}, {@code audio};</li>
 *   <li>{@code params} (map): request parameters (confirm conditions also see defaults applied);</li>
 *   <li>{@code operation} (string), {@code estimate} (map: {@code credits} double, {@code unit} string) — confirm only.</li>
 * </ul>
 * and the helpers {@code says(list<string>)} (any keyword present: whole words for space-separated
 * languages, substrings for Chinese and Japanese, case-insensitive), {@code says_all(list<string>)}
 * and {@code has(kind)} ({@code attachments[kind] > 0}).
 *
 * <p>{@code has} is also CEL's own presence macro, and cel-java allows no function of that name, so
 * the macro tells the two apart by its argument: a string, {@code has('image')}, counts attachments
 * (it becomes {@code attached('image')}, which may also be written directly); a field,
 * {@code has(estimate.credits)}, tests that the field is present, as in standard CEL.
 */
public interface ConditionCompiler {

  /** What a condition may refer to. */
  enum Scope { ROUTE, CONFIRM }

  /** A compile error: message, and the 0-based offset in the expression where it is (or -1). */
  record Problem(String message, int offset) {}

  /** The compiled condition, or the problems found (never both). */
  record Result(Condition condition, List<Problem> problems) {}

  Result compile(String expression, Scope scope);
}
