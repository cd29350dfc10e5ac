package dev.skillhost.host.skills;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * One problem found in a manifest, worded for its author, at the place it stands.
 *
 * @param at       file, line and column (1-based, as editors count)
 * @param pointer  JSON pointer of the value concerned ({@code /routes/2/when}); empty for the whole file
 * @param severity an error refuses the manifest; a warning does not
 * @param message  what is wrong
 * @param hint     how to put it right, or null
 */
public record ManifestProblem(Position at, String pointer, Severity severity, String message, String hint) {

  /** Whether the problem refuses the manifest. */
  public enum Severity {
    ERROR, WARNING;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** As compilers print it: {@code file:line:column: severity: message (hint: …)}. */
  @Override
  public String toString() {
    return at + ": " + severity + ": " + message + (hint == null ? "" : " (hint: " + hint + ")");
  }

  /** Wire form for {@code GET /v1/skills}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("file", at.file())
        .put("line", at.line())
        .put("column", at.column())
        .put("pointer", pointer)
        .put("severity", severity.toString())
        .put("message", message)
        .put("hint", hint)
        .put("text", toString());
  }
}
