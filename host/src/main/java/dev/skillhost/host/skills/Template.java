package dev.skillhost.host.skills;

import java.util.Map;
import java.util.Set;

/** A compiled Mustache template from a manifest. Rendering is thread-safe and never throws. */
public interface Template {

  String render(Map<String, Object> vars);

  /** Every variable name the template refers to (for the loader's "unknown variable" check). */
  Set<String> variables();

  String source();
}
