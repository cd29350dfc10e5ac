package dev.skillhost.host.skills;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Templates for tests, without Mustache: {@code {{name}}} is replaced by the variable, absent ones by nothing. */
public final class TestTemplates {

  private static final Pattern VAR = Pattern.compile("\\{\\{\\s*([\\w.]+)\\s*}}");

  private TestTemplates() {}

  public static Template of(String source) {
    return new Template() {
      @Override
      public String render(Map<String, Object> vars) {
        Matcher m = VAR.matcher(source);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
          Object v = vars.get(m.group(1));
          m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "" : v.toString()));
        }
        return m.appendTail(out).toString();
      }

      @Override
      public Set<String> variables() {
        return VAR.matcher(source).results().map(r -> r.group(1)).collect(Collectors.toSet());
      }

      @Override
      public String source() {
        return source;
      }
    };
  }

  /** A message from locale → source pairs: {@code localized("en", "Hi", "zh", "你好")}. */
  public static Localized localized(String... localeThenSource) {
    Map<String, Template> byLocale = new LinkedHashMap<>();
    for (int i = 0; i < localeThenSource.length; i += 2) {
      byLocale.put(localeThenSource[i], of(localeThenSource[i + 1]));
    }
    return new Localized(byLocale);
  }
}
