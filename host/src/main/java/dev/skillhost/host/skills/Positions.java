package dev.skillhost.host.skills;

import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * JSON pointer → where it stands in the YAML text, kept from the node tree (our addition to the
 * vertx-openapi pipeline, which loses positions). Also maps an offset inside a scalar (where CEL
 * or Mustache found a fault) to the file's line and column, through quotes, escapes and block
 * indentation.
 */
final class Positions {

  private final String file;
  private final int[][] lines;
  private final Map<String, Node> values = new HashMap<>();
  private final Map<String, Node> keys = new HashMap<>();

  Positions(String file, String text) {
    this.file = file;
    String[] raw = text.split("\r?\n", -1);
    this.lines = new int[raw.length][];
    for (int i = 0; i < raw.length; i++) {
      lines[i] = raw[i].codePoints().toArray();
    }
  }

  void value(String pointer, Node node) {
    values.putIfAbsent(pointer, node);
  }

  void key(String pointer, Node node) {
    keys.putIfAbsent(pointer, node);
  }

  Position start() {
    return new Position(file, 1, 1);
  }

  Position of(Mark mark) {
    return new Position(file, mark.getLine() + 1, mark.getColumn() + 1);
  }

  /** Where the value stands; for a pointer with no node (a missing key), its nearest ancestor. */
  Position at(String pointer) {
    for (String p = pointer; ; p = parent(p)) {
      Node n = values.get(p);
      if (n != null) {
        return of(n.getStartMark());
      }
      if (p.isEmpty()) {
        return start();
      }
    }
  }

  /** Where the key of this member stands (for unknown or misnamed keys), else where its value does. */
  Position key(String pointer) {
    Node k = keys.get(pointer);
    return k != null ? of(k.getStartMark()) : at(pointer);
  }

  /** Where the character at {@code offset} of a scalar value stands. */
  Position inside(String pointer, int offset) {
    if (!(values.get(pointer) instanceof ScalarNode node) || offset < 0) {
      return at(pointer);
    }
    ScalarStyle style = node.getScalarStyle();
    int line = node.getStartMark().getLine();
    int col = node.getStartMark().getColumn();
    int indent = col;
    if (style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED) {
      line++;
      while (line < lines.length && blank(lines[line])) {
        line++;
      }
      indent = line < lines.length ? leading(lines[line]) : 0;
      col = indent;
    } else if (style == ScalarStyle.SINGLE_QUOTED || style == ScalarStyle.DOUBLE_QUOTED) {
      col++;
    }
    for (int v = 0; v < offset && line < lines.length; ) {
      int[] raw = lines[line];
      if (col >= raw.length) {
        line++;
        col = style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED || line >= lines.length
            ? indent : leading(lines[line]);
        v++;
        continue;
      }
      int cp = raw[col];
      if (style == ScalarStyle.DOUBLE_QUOTED && cp == '\\' && col + 1 < raw.length) {
        col += switch (raw[col + 1]) {
          case 'x' -> 4;
          case 'u' -> 6;
          case 'U' -> 10;
          default -> 2;
        };
        v++;
      } else if (style == ScalarStyle.SINGLE_QUOTED && cp == '\'' && col + 1 < raw.length && raw[col + 1] == '\'') {
        col += 2;
        v++;
      } else {
        col++;
        v += Character.charCount(cp);
      }
    }
    return new Position(file, line + 1, col + 1);
  }

  static String parent(String pointer) {
    int slash = pointer.lastIndexOf('/');
    return slash <= 0 ? "" : pointer.substring(0, slash);
  }

  static String child(String pointer, String name) {
    return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
  }

  static String child(String pointer, int index) {
    return pointer + "/" + index;
  }

  private static boolean blank(int[] line) {
    for (int cp : line) {
      if (!Character.isWhitespace(cp)) {
        return false;
      }
    }
    return true;
  }

  private static int leading(int[] line) {
    int i = 0;
    while (i < line.length && line[i] == ' ') {
      i++;
    }
    return i;
  }
}
