package dev.skillhost.host.skills;

import dev.skillhost.host.skills.ConditionCompiler.Scope;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Step 5 and 6 in one pass: reads the schema-checked JSON into immutable records, compiling every
 * condition and template on the way and reporting each fault where it stands. Reads defensively:
 * a part the schema already faulted is skipped, not reported twice.
 */
final class SkillReader {

  private final JsonObject doc;
  private final Problems problems;
  private final ConditionCompiler conditions;
  private final MessageReader messages;
  private final List<String> locales;

  SkillReader(JsonObject doc, Problems problems, ConditionCompiler conditions, TemplateCompiler templates) {
    this.doc = doc;
    this.problems = problems;
    this.conditions = conditions;
    this.locales = strings(doc.getValue("locales"));
    // With locales faulted, every message would also be reported as in the wrong locale: say it once.
    this.messages = new MessageReader(problems, templates, problems.hasErrorsUnder("/locales") ? null : locales);
  }

  Skill read() {
    Map<String, SkillOperation> operations = operations();
    JsonObject requires = object(doc.getValue("requires"));
    return new Skill(
        string(doc.getValue("skill")),
        string(doc.getValue("version")),
        string(doc.getValue("provider")),
        doc.getValue("description") instanceof String d ? d : "",
        locales,
        new Skill.Requirements(strings(requires.getValue("secrets")), Boolean.TRUE.equals(requires.getValue("login"))),
        operations,
        routes(operations),
        unsupported(),
        messages.templates(object(doc.getValue("templates"))),
        messages.errorRules(array(doc.getValue("errors"))),
        strings(doc.getValue("outputs")),
        messages.rewrites(array(doc.getValue("rewrite"))),
        examples(operations),
        fallback(),
        problems.positions().key("/skill"));
  }

  /** The {@code fallback:} skill ids; naming the skill itself is a fault (it would retry the refusing backend). */
  private List<String> fallback() {
    List<String> ids = strings(doc.getValue("fallback"));
    String self = string(doc.getValue("skill"));
    for (int i = 0; i < ids.size(); i++) {
      if (ids.get(i).equals(self)) {
        problems.error(Positions.child("/fallback", i), "a skill cannot be its own fallback",
            "name other skills that serve the same operations, e.g. [chatart]");
      }
    }
    return ids;
  }

  private Map<String, SkillOperation> operations() {
    Map<String, SkillOperation> out = new LinkedHashMap<>();
    JsonObject ops = object(doc.getValue("operations"));
    for (String name : ops.fieldNames()) {
      String at = Positions.child("/operations", name);
      JsonObject op = object(ops.getValue(name));
      Map<String, Boolean> inputs = new HashMap<>();
      object(op.getValue("inputs")).forEach(e -> inputs.put(e.getKey(), "required".equals(e.getValue())));
      JsonObject limits = limits(at, object(op.getValue("limits")));
      out.put(name, new SkillOperation(name, op.getValue("description") instanceof String d ? d : "", inputs,
          object(op.getValue("defaults")), limits,
          eta(at + "/eta", op.getValue("eta")), condition(at + "/confirm", op.getValue("confirm"), Scope.CONFIRM),
          new ModelLimits(problems, at, limits, object(op.getValue("defaults"))).read(object(op.getValue("models"))),
          intent(at, name, op)));
    }
    return out;
  }

  private SkillOperation.Intent intent(String at, String name, JsonObject op) {
    Localized title = op.getValue("title") == null ? null : messages.message(at + "/title", op.getValue("title"));
    JsonObject words = object(op.getValue("words"));
    for (String param : words.fieldNames()) {
      if (words.getValue(param) instanceof String kind && !WordParams.KINDS.contains(kind)) {
        problems.error(Positions.child(at + "/words", param), "unknown kind of words '" + kind + "'",
            "one of " + String.join(", ", WordParams.KINDS) + ", or a map of value → phrases");
      }
    }
    Object intent = op.getValue("intent");
    List<String> names = intent instanceof String i ? List.of(i) : intent instanceof JsonArray ? strings(intent) : List.of(name);
    return new SkillOperation.Intent(names.isEmpty() ? List.of(name) : names, title, words);
  }

  private JsonObject limits(String at, JsonObject limits) {
    for (String param : limits.fieldNames()) {
      JsonObject l = object(limits.getValue(param));
      if (l.getValue("min") instanceof Number min && l.getValue("max") instanceof Number max
          && min.doubleValue() > max.doubleValue()) {
        problems.error(Positions.child(at + "/limits", param), "min " + min + " is greater than max " + max, null);
      }
    }
    return limits;
  }

  private SkillOperation.Eta eta(String at, Object value) {
    JsonObject eta = object(value);
    int[] range = range(at + "/default", eta.getValue("default"));
    if (range == null) {
      return null;
    }
    Map<String, int[]> models = new HashMap<>();
    JsonObject byModel = object(eta.getValue("models"));
    for (String model : byModel.fieldNames()) {
      int[] r = range(Positions.child(at + "/models", model), byModel.getValue(model));
      if (r != null) {
        models.put(model, r);
      }
    }
    return new SkillOperation.Eta(range[0], range[1], models);
  }

  private int[] range(String at, Object value) {
    if (!(value instanceof JsonArray a) || a.size() != 2
        || !(a.getValue(0) instanceof Number low) || !(a.getValue(1) instanceof Number high)) {
      return null;
    }
    if (low.longValue() > high.longValue()) {
      problems.error(at, "low " + low + " is greater than high " + high, "[low, high] in seconds");
      return null;
    }
    return new int[] {low.intValue(), high.intValue()};
  }

  private List<Route> routes(Map<String, SkillOperation> operations) {
    List<Route> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    JsonArray routes = array(doc.getValue("routes"));
    for (int i = 0; i < routes.size(); i++) {
      String at = Positions.child("/routes", i);
      JsonObject r = object(routes.getValue(i));
      Condition when = condition(at + "/when", r.getValue("when"), Scope.ROUTE);
      String to = r.getValue("to") instanceof String s ? s : null;
      if (to != null && !operations.containsKey(to)) {
        problems.error(at + "/to", "route to undeclared operation '" + to + "'",
            "declared: " + String.join(", ", operations.keySet()));
      }
      if (r.getValue("when") instanceof String w && to != null) {
        Integer first = seen.putIfAbsent(w.strip().replaceAll("\\s+", " ") + "\u0000" + to, i);
        if (first != null) {
          problems.error(at, "duplicate route: same 'when' and 'to' as the route at line "
              + problems.positions().at(Positions.child("/routes", first)).line(), "remove one of them");
        }
      }
      List<String> hints = strings(r.getValue("hints"));
      if (when != null) {
        warnRepeatedHints(at + "/hints", when, hints);
      }
      if (when != null && to != null) {
        out.add(new Route(when, to, object(r.getValue("params")), hints, problems.positions().at(at)));
      }
    }
    return out;
  }

  /** A hint the condition already says adds nothing (overlaps count once): worth removing. */
  private void warnRepeatedHints(String at, Condition when, List<String> hints) {
    Set<String> said = new HashSet<>(when.keywords());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < hints.size(); i++) {
      String h = hints.get(i);
      if (said.contains(h) || !seen.add(h)) {
        problems.warning(Positions.child(at, i), "hint '" + h + "' is already "
            + (said.contains(h) ? "a keyword of the condition" : "listed"), "remove it: a word counts once");
      }
    }
  }

  private List<Unsupported> unsupported() {
    List<Unsupported> out = new ArrayList<>();
    JsonArray rules = array(doc.getValue("unsupported"));
    for (int i = 0; i < rules.size(); i++) {
      String at = Positions.child("/unsupported", i);
      JsonObject u = object(rules.getValue(i));
      Condition when = condition(at + "/when", u.getValue("when"), Scope.ROUTE);
      Localized message = messages.message(at + "/message", u.getValue("message"));
      if (when != null && message != null) {
        out.add(new Unsupported(when, message, problems.positions().at(at)));
      }
    }
    return out;
  }

  private List<Example> examples(Map<String, SkillOperation> operations) {
    List<Example> out = new ArrayList<>();
    JsonArray examples = array(doc.getValue("examples"));
    for (int i = 0; i < examples.size(); i++) {
      String at = Positions.child("/examples", i);
      JsonObject e = object(examples.getValue(i));
      if (!(e.getValue("text") instanceof String text) || !(e.getValue("expect") instanceof String expect)) {
        continue;
      }
      if (!operations.containsKey(expect) && !expect.equals(Example.NONE) && !expect.equals(Example.UNSUPPORTED)) {
        problems.error(at + "/expect", "expects '" + expect + "', which is not an operation of this skill",
            "expect one of: " + String.join(", ", operations.keySet()) + ", none, unsupported");
        continue;
      }
      Map<String, Integer> attachments = new HashMap<>();
      strings(e.getValue("attachments")).forEach(kind -> attachments.merge(kind, 1, Integer::sum));
      String locale = e.getValue("locale") instanceof String l ? l : locales.isEmpty() ? "en" : locales.get(0);
      out.add(new Example(text, attachments, locale, expect, problems.positions().at(at),
          e.getValue("routes_to") instanceof String r ? r : null, object(e.getValue("params"))));
    }
    return out;
  }

  private Condition condition(String at, Object source, Scope scope) {
    if (!(source instanceof String expression)) {
      return null;
    }
    ConditionCompiler.Result r = conditions.compile(expression, scope);
    for (ConditionCompiler.Problem p : r.problems()) {
      problems.errorInside(at, p.offset(), p.message(), scope == Scope.CONFIRM
          ? "confirm conditions see operation, estimate, params, text, locale, attachments"
          : "route conditions see text, locale, attachments, params, and says(), says_all(), has()");
    }
    return r.condition();
  }

  static JsonObject object(Object value) {
    return value instanceof JsonObject o ? o : new JsonObject();
  }

  static JsonArray array(Object value) {
    return value instanceof JsonArray a ? a : new JsonArray();
  }

  static String string(Object value) {
    return value instanceof String s ? s : "";
  }

  static List<String> strings(Object value) {
    List<String> out = new ArrayList<>();
    array(value).forEach(v -> {
      if (v instanceof String s) {
        out.add(s);
      }
    });
    return out;
  }
}
