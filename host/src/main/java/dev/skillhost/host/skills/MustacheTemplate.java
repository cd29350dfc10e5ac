package dev.skillhost.host.skills;

import com.samskivert.mustache.Mustache;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A compiled message; jmustache templates are immutable and safe to share between threads. */
final class MustacheTemplate implements Template {

  private final String source;
  private final com.samskivert.mustache.Template template;
  private final Set<String> variables;

  MustacheTemplate(String source, com.samskivert.mustache.Template template, Set<String> variables) {
    this.source = source;
    this.template = template;
    this.variables = Set.copyOf(variables);
  }

  @Override
  public String render(Map<String, Object> vars) {
    try {
      return template.execute(vars == null ? Map.of() : vars);
    } catch (RuntimeException e) {
      // A value whose toString() throws must not take the task's event down with it.
      return source;
    }
  }

  @Override
  public Set<String> variables() {
    return variables;
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return source;
  }

  /** The top-level names a template reads ({@code a} for {@code a.b}); {@code .} is the section's own value. */
  static Set<String> names(com.samskivert.mustache.Template t) {
    Set<String> names = new LinkedHashSet<>();
    t.visit(new Mustache.Visitor() {
      @Override
      public void visitText(String text) {
        // text needs no variables
      }

      @Override
      public void visitVariable(String name) {
        add(name);
      }

      @Override
      public boolean visitInclude(String name) {
        return false;
      }

      @Override
      public boolean visitSection(String name) {
        add(name);
        return true;
      }

      @Override
      public boolean visitInvertedSection(String name) {
        add(name);
        return true;
      }

      private void add(String name) {
        if (!name.equals(".") && !name.equals("this")) {
          int dot = name.indexOf('.');
          names.add(dot > 0 ? name.substring(0, dot) : name);
        }
      }
    });
    return names;
  }
}
