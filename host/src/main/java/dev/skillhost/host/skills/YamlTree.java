package dev.skillhost.host.skills;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * YAML text → JSON, keeping where every value stands. Parses with SnakeYAML's {@code compose} (the
 * node tree: no Java objects built, every node with its start mark) under limits on aliases,
 * nesting and size. Plain scalars are typed by the YAML 1.2 core schema, so {@code no}, {@code on}
 * and {@code 16:9} stay strings as an author means them.
 */
final class YamlTree {

  static final int MAX_ALIASES = 50;
  static final int MAX_DEPTH = 64;
  static final int MAX_VALUES = 100_000;

  private static final Pattern INT = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

  private final Problems problems;
  private final Positions positions;
  private int values;

  private YamlTree(Problems problems, Positions positions) {
    this.problems = problems;
    this.positions = positions;
  }

  /** The document as JSON, or null when it cannot be read (the reasons are in {@code problems}). */
  static JsonObject read(String text, Problems problems) {
    Positions positions = problems.positions();
    Node root;
    try {
      root = new Yaml(options(text.length())).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      syntax(e, problems);
      return null;
    } catch (YAMLException e) {
      if (String.valueOf(e.getMessage()).contains("aliases")) {
        problems.add(firstAliasOver(text, positions), "", ManifestProblem.Severity.ERROR,
            "too many aliases (more than " + MAX_ALIASES + ")",
            "write the repeated parts out; aliases are limited so a small file cannot unfold into a huge one");
      } else {
        problems.add(positions.start(), "", ManifestProblem.Severity.ERROR, String.valueOf(e.getMessage()), null);
      }
      return null;
    }
    if (!(root instanceof MappingNode)) {
      problems.add(root == null ? positions.start() : positions.of(root.getStartMark()), "",
          ManifestProblem.Severity.ERROR, "a manifest is a mapping (key: value lines)", "start with 'skill: <id>'");
      return null;
    }
    Object json = new YamlTree(problems, positions).convert(root, "", 0);
    return json instanceof JsonObject o ? o : null;
  }

  private static LoaderOptions options(int length) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setCodePointLimit(Math.max(length + 1, 1024));
    options.setAllowRecursiveKeys(false);
    return options;
  }

  private Object convert(Node node, String pointer, int depth) {
    positions.value(pointer, node);
    if (++values == MAX_VALUES) {
      problems.error(pointer, "the document unfolds into more than " + MAX_VALUES + " values", "too many aliases?");
    }
    if (values >= MAX_VALUES) {
      return null;
    }
    if (depth > MAX_DEPTH) {
      problems.error(pointer, "nested deeper than " + MAX_DEPTH + " levels", "an alias that refers to itself?");
      return null;
    }
    if (node instanceof MappingNode map) {
      JsonObject out = new JsonObject();
      Map<String, Node> seen = new HashMap<>();
      for (NodeTuple t : map.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode k)) {
          problems.add(positions.of(t.getKeyNode().getStartMark()), pointer, ManifestProblem.Severity.ERROR,
              "a key must be a plain value", null);
          continue;
        }
        String child = Positions.child(pointer, k.getValue());
        Node first = seen.putIfAbsent(k.getValue(), k);
        if (first != null) {
          problems.add(positions.of(k.getStartMark()), child, ManifestProblem.Severity.ERROR,
              "duplicate key '" + k.getValue() + "'", "it is already set at line " + (first.getStartMark().getLine() + 1));
          continue;
        }
        positions.key(child, k);
        out.put(k.getValue(), convert(t.getValueNode(), child, depth + 1));
      }
      return out;
    }
    if (node instanceof SequenceNode seq) {
      JsonArray out = new JsonArray();
      int i = 0;
      for (Node item : seq.getValue()) {
        out.add(convert(item, Positions.child(pointer, i++), depth + 1));
      }
      return out;
    }
    return scalar((ScalarNode) node);
  }

  static Object scalar(ScalarNode node) {
    String s = node.getValue();
    if (node.getScalarStyle() != ScalarStyle.PLAIN) {
      return s;
    }
    switch (s) {
      case "", "~", "null", "Null", "NULL":
        return null;
      case "true", "True", "TRUE":
        return true;
      case "false", "False", "FALSE":
        return false;
      default:
        break;
    }
    if (INT.matcher(s).matches()) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException tooBig) {
        return s;
      }
    }
    return FLOAT.matcher(s).matches() ? (Object) Double.parseDouble(s) : s;
  }

  private static void syntax(MarkedYAMLException e, Problems problems) {
    Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String problem = e.getProblem() == null ? "cannot read this YAML" : e.getProblem();
    boolean tab = problem.contains("\\t(TAB)");
    problem = problem.replace("character '\\t(TAB)'", "a tab").replaceAll(" \\(Do not use .* for indentation\\)", "").replaceAll("\\.$", "");
    String hint = tab ? "indent with spaces; YAML does not allow tabs" : null;
    if (!tab && e.getContext() != null) {
      Mark c = e.getContextMark();
      hint = e.getContext() + (c == null ? "" : " started at line " + (c.getLine() + 1) + ", column " + (c.getColumn() + 1));
    }
    Positions p = problems.positions();
    problems.add(at == null ? p.start() : p.of(at), "", ManifestProblem.Severity.ERROR, problem, hint);
  }

  /** SnakeYAML names no place when aliases run over; the event stream (which expands nothing) does. */
  private static Position firstAliasOver(String text, Positions positions) {
    int aliases = 0;
    Set<String> collections = new HashSet<>();
    try {
      for (Iterator<Event> it = new Yaml().parse(new StringReader(text)).iterator(); it.hasNext(); ) {
        Event e = it.next();
        if (e instanceof CollectionStartEvent c && c.getAnchor() != null) {
          collections.add(c.getAnchor());
        }
        if (e instanceof AliasEvent a && collections.contains(a.getAnchor()) && ++aliases > MAX_ALIASES) {
          return positions.of(e.getStartMark());
        }
      }
    } catch (YAMLException ignored) {
      // fall back to the start of the file
    }
    return positions.start();
  }
}
