package dev.skillhost.host.skills;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The user-facing half of a manifest: templates, error rules and their messages. Every text must
 * compile, use only the variables the host supplies for it, and exist in each declared locale
 * (and in no other): a user must never get an empty message because a translation is missing.
 */
final class MessageReader {

  private final Problems problems;
  private final TemplateCompiler compiler;
  private final List<String> locales;  // null: unknown, so not checked
  private final Set<String> anyVariable = new TreeSet<>();

  MessageReader(Problems problems, TemplateCompiler compiler, List<String> locales) {
    this.problems = problems;
    this.compiler = compiler;
    this.locales = locales;
    compiler.variablesByTemplate().values().forEach(anyVariable::addAll);
    anyVariable.addAll(compiler.messageVariables());
  }

  Map<String, Localized> templates(JsonObject templates) {
    Map<String, Localized> out = new HashMap<>();
    for (String name : templates.fieldNames()) {
      String at = Positions.child("/templates", name);
      Set<String> allowed = compiler.variablesByTemplate().get(name);
      if (allowed == null && !TemplateCompiler.isAuthorTemplate(name)) {
        problems.errorAtKey(at, "unknown template '" + name + "'",
            "known: " + String.join(", ", compiler.variablesByTemplate().keySet()) + "; or x.<name> for your own");
        continue;
      }
      Localized l = localized(at, templates.getValue(name), allowed == null ? anyVariable : allowed,
          "template '" + name + "'");
      if (l != null) {
        out.put(name, l);
      }
    }
    return out;
  }

  /** An {@code unsupported:} or error-rule message. */
  Localized message(String at, Object value) {
    return value == null ? null : localized(at, value, compiler.messageVariables(), "message");
  }

  List<ErrorRule> errorRules(JsonArray rules) {
    List<ErrorRule> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      String at = Positions.child("/errors", i);
      JsonObject r = SkillReader.object(rules.getValue(i));
      JsonObject match = SkillReader.object(r.getValue("match"));
      Pattern text = pattern(at + "/match/text", match.getValue("text"));
      Localized message = message(at + "/message", r.getValue("message"));
      ErrorRule.ErrorKind kind = constant(ErrorRule.ErrorKind.class, r.getValue("kind"));
      ErrorRule.Action action = constant(ErrorRule.Action.class, r.getValue("action"));
      if (kind == null || action == null || (match.getValue("text") != null && text == null)) {
        continue;
      }
      Object code = match.getValue("code");
      out.add(new ErrorRule(code == null ? null : String.valueOf(code),
          match.getValue("http") instanceof Number n ? n.intValue() : 0, text, kind, action,
          retry(r.getValue("retry")), message, r.getValue("spent") instanceof Boolean b ? b : null,
          problems.positions().at(at)));
    }
    return out;
  }

  /** The {@code rewrite:} rules: patterns compile, replacements name only groups the pattern has. */
  List<Rewrite> rewrites(JsonArray rules) {
    List<Rewrite> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      String at = Positions.child("/rewrite", i);
      JsonObject r = SkillReader.object(rules.getValue(i));
      Pattern pattern = pattern(at + "/pattern", r.getValue("pattern"));
      if (pattern == null) {
        continue;
      }
      Object value = r.getValue("replace");
      boolean drop = Boolean.TRUE.equals(r.getValue("drop"));
      if ((value == null) == !drop) {
        problems.error(at, value == null ? "a rewrite rule needs replace or drop" : "a rewrite rule either replaces or drops, not both",
            "replace: \"new text\" (or per locale {en: …, zh: …}), or drop: true");
        continue;
      }
      Map<String, String> replace = new HashMap<>();
      if (value instanceof String text) {
        replace.put(Rewrite.ANY, text);
      } else if (value instanceof JsonObject byLocale) {
        for (String locale : byLocale.fieldNames()) {
          if (locales != null && !locales.contains(locale)) {
            problems.errorAtKey(Positions.child(at + "/replace", locale), "replacement in '" + locale
                + "', which is not among locales: " + String.join(", ", locales), "add " + locale + " to locales");
          } else if (byLocale.getValue(locale) instanceof String text) {
            replace.put(locale, text);
          }
        }
      }
      boolean ok = true;
      for (Map.Entry<String, String> e : replace.entrySet()) {
        String where = Rewrite.ANY.equals(e.getKey()) ? at + "/replace" : Positions.child(at + "/replace", e.getKey());
        ok &= groupsExist(where, pattern, e.getValue());
      }
      if (ok && (!replace.isEmpty() || drop)) {
        out.add(new Rewrite(pattern, replace, SkillReader.strings(r.getValue("locales")), problems.positions().at(at)));
      }
    }
    return out;
  }

  /** A replacement's {@code $n} must name a group of the pattern, or every use would throw. */
  private boolean groupsExist(String at, Pattern pattern, String replacement) {
    int groups = pattern.matcher("").groupCount();
    Matcher m = Pattern.compile("(?<!\\\\)\\$(\\d+)").matcher(replacement);
    while (m.find()) {
      if (Integer.parseInt(m.group(1)) > groups) {
        problems.errorInside(at, m.start(), "the replacement refers to group $" + m.group(1) + " but the pattern has "
            + groups + (groups == 1 ? " group" : " groups"), "write \\$ for a literal dollar sign");
        return false;
      }
    }
    return true;
  }

  private Localized localized(String at, Object value, Set<String> allowed, String what) {
    if (!(value instanceof JsonObject texts)) {
      return null;
    }
    Map<String, Template> byLocale = new HashMap<>();
    for (String locale : texts.fieldNames()) {
      String textAt = Positions.child(at, locale);
      if (locales != null && !locales.contains(locale)) {
        if (!problems.hasErrorAt(textAt)) {
          problems.errorAtKey(textAt, what + " is written in '" + locale + "', which is not among locales: "
              + String.join(", ", locales), "add " + locale + " to locales, or remove this text");
        }
        continue;
      }
      if (texts.getValue(locale) instanceof String source) {
        Template t = compile(textAt, source, allowed, what);
        if (t != null) {
          byLocale.put(locale, t);
        }
      }
    }
    Set<String> missing = new LinkedHashSet<>(locales == null ? List.of() : locales);
    missing.removeAll(texts.fieldNames());
    for (String locale : missing) {
      problems.errorAtKey(at, what + " has no '" + locale + "' text",
          "every message needs a text in each of locales: " + String.join(", ", locales));
    }
    return missing.isEmpty() && byLocale.size() == texts.size() ? new Localized(byLocale) : null;
  }

  private Template compile(String at, String source, Set<String> allowed, String what) {
    TemplateCompiler.Result r = compiler.compile(source);
    for (TemplateCompiler.Problem p : r.problems()) {
      problems.errorInside(at, p.offset(), p.message(), "Mustache: {{name}}, or {{#name}}…{{/name}} to show a part only when name is set");
    }
    if (r.template() == null) {
      return null;
    }
    boolean ok = true;
    for (String variable : r.template().variables()) {
      if (!allowed.contains(variable)) {
        ok = false;
        problems.errorInside(at, offsetOf(source, variable), "unknown variable '" + variable + "' in " + what,
            "available: " + String.join(", ", new TreeSet<>(allowed)));
      }
    }
    return ok ? r.template() : null;
  }

  private static int offsetOf(String source, String variable) {
    Matcher m = Pattern.compile("\\{\\{[#^&{]?\\s*" + Pattern.quote(variable) + "(?![\\w])").matcher(source);
    return m.find() ? m.start() : -1;
  }

  private Pattern pattern(String at, Object value) {
    if (!(value instanceof String regex)) {
      return null;
    }
    try {
      return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    } catch (PatternSyntaxException e) {
      problems.errorInside(at, e.getIndex(), "bad regular expression: " + e.getDescription(),
          "Java regex, searched case-insensitively; escape ( [ { . * + ? with \\\\");
      return null;
    }
  }

  private static ErrorRule.Retry retry(Object value) {
    if (!(value instanceof JsonObject r) || !(r.getValue("max") instanceof Number max)) {
      return ErrorRule.Retry.NEVER;
    }
    long delay = r.getValue("delay_ms") instanceof Number d ? d.longValue() : 0;
    return new ErrorRule.Retry(max.intValue(), "retry-after".equals(r.getValue("after")), Duration.ofMillis(delay));
  }

  private static <E extends Enum<E>> E constant(Class<E> type, Object value) {
    try {
      return value instanceof String s ? Enum.valueOf(type, s.toUpperCase(Locale.ROOT)) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
