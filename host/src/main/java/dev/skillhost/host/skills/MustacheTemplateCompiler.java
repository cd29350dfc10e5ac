package dev.skillhost.host.skills;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link TemplateCompiler} on jmustache. Messages go to chats, not HTML, so nothing is escaped; a
 * variable the host does not supply renders empty. Partials and delimiter changes are refused: a
 * message is one self-contained text.
 */
public final class MustacheTemplateCompiler implements TemplateCompiler {

  /** What the host supplies to each known template; {@code x.*} templates may use any of these. */
  public static final Map<String, Set<String>> VARIABLES = variables();

  private static final Pattern LINE = Pattern.compile(" @ line (\\d+)$");

  // defaultValue covers both missing and null values; a later nullValue() would undo the first.
  // emptyStringIsFalse: {{#link}}…{{/link}} shows its line only when there is a link.
  private final Mustache.Compiler mustache = Mustache.compiler().escapeHTML(false).defaultValue("").emptyStringIsFalse(true);

  @Override
  public Result compile(String text) {
    Problem refused = refuse(text);
    if (refused != null) {
      return new Result(null, List.of(refused));
    }
    try {
      com.samskivert.mustache.Template t = mustache.compile(text);
      return new Result(new MustacheTemplate(text, t, MustacheTemplate.names(t)), List.of());
    } catch (MustacheException e) {
      String message = e.getMessage() == null ? "bad template" : e.getMessage();
      Matcher m = LINE.matcher(message);
      int offset = -1;
      if (m.find()) {
        offset = tagOnLine(text, Integer.parseInt(m.group(1)));
        message = message.substring(0, m.start());
      }
      return new Result(null, List.of(new Problem(message, offset)));
    }
  }

  @Override
  public Map<String, Set<String>> variablesByTemplate() {
    return VARIABLES;
  }

  /** What jmustache would take as text or crash on, named at the tag. */
  private static Problem refuse(String text) {
    for (int i = text.indexOf("{{"); i >= 0; i = text.indexOf("{{", i + 2)) {
      int close = text.indexOf("}}", i + 2);
      int nextOpen = text.indexOf("{{", i + 2);
      if (close < 0 || (nextOpen >= 0 && nextOpen < close && !text.startsWith("{{{", i))) {
        return new Problem("unclosed tag: '{{' without '}}'", i);
      }
      String tag = text.substring(i + 2, close).strip();
      if (tag.isEmpty()) {
        return new Problem("empty tag '{{}}'", i);
      }
      if (tag.startsWith(">") || tag.startsWith("<")) {
        return new Problem("partials are not supported: {{" + tag + "}}", i);
      }
      if (tag.startsWith("=")) {
        return new Problem("changing delimiters is not supported", i);
      }
    }
    return null;
  }

  private static int tagOnLine(String text, int line) {
    int start = 0;
    for (int l = 1; l < line && start >= 0; l++) {
      start = text.indexOf('\n', start);
      start = start < 0 ? -1 : start + 1;
    }
    if (start < 0) {
      return -1;
    }
    int tag = text.indexOf("{{", start);
    int end = text.indexOf('\n', start);
    return tag >= 0 && (end < 0 || tag < end) ? tag : start;
  }

  private static Map<String, Set<String>> variables() {
    Map<String, Set<String>> v = new LinkedHashMap<>();
    v.put("submitted", Set.of("eta", "eta_low", "eta_high", "operation", "model", "task", "skill"));
    v.put("progress", Set.of("percent", "message", "operation", "task", "skill"));
    v.put("confirm", Set.of("cost", "unit", "operation", "model", "task", "skill"));
    v.put("result.image", Set.of("url", "link", "resolution", "width", "height", "model", "cost", "task", "skill"));
    v.put("result.video", Set.of("url", "link", "duration", "aspect_ratio", "width", "height", "model", "cost", "task",
        "skill"));
    v.put("result.audio", Set.of("url", "link", "duration", "model", "cost", "task", "skill"));
    v.put("result.model", Set.of("url", "link", "model", "cost", "task", "skill"));
    v.put("result.text", Set.of("text", "url", "link", "model", "task", "skill"));
    v.put("failed", Set.of("reason", "kind", "action", "code", "task", "skill"));
    v.put("login", Set.of("url", "code", "skill"));
    // said by the skill a task moved to: from (the refusing skill), to (this one), why it refused
    v.put("fallback", Set.of("from", "to", "reason", "kind", "operation", "model", "task", "skill"));
    return Collections.unmodifiableMap(v);
  }
}
