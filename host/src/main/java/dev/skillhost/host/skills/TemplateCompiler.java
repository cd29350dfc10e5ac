package dev.skillhost.host.skills;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compiles manifest templates (Mustache) and knows which variables each template name may use. */
public interface TemplateCompiler {

  /** A compile error: message and 0-based offset in the template text (or -1). */
  record Problem(String message, int offset) {}

  record Result(Template template, List<Problem> problems) {}

  Result compile(String text);

  /**
   * The variables the host supplies when rendering each known template name; a template may
   * use only these. Names not listed here are unknown templates.
   */
  Map<String, Set<String>> variablesByTemplate();

  /** The variables error-rule and {@code unsupported:} messages may use. */
  default Set<String> messageVariables() {
    return Set.of("reason", "code", "retry_after", "skill");
  }

  /** Names an author may give their own templates: {@code x.} and anything after it. */
  static boolean isAuthorTemplate(String name) {
    return name.startsWith("x.");
  }
}
