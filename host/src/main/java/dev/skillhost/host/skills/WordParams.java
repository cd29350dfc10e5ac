package dev.skillhost.host.skills;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Parameters read from what the user said, in English and Chinese: a duration ("10 seconds",
 * "十秒"), an aspect ratio ("9:16", "portrait", "竖屏"), a resolution ("1080p", "4k", "高清"), an
 * upscale factor ("2x", "两倍") and a count ("3 images", "三张"). The numbers and unit grammar is
 * here; the named values (ratio and resolution names, number words) are in {@code words.yaml}
 * beside this class; each manifest says which of its parameters take which kind
 * ({@code operations.<op>.words}), and may list its own words per value ({@code look: {sepia: [...]}}).
 *
 * <p>A parameter named {@code duration}, {@code aspect_ratio}, {@code resolution}, {@code upscale}
 * or {@code count} takes its kind without being declared. A value is set only when the operation's
 * limits allow it; otherwise it is reported as not applied, never bent to a neighbour.
 * Thread-safe and immutable once loaded.
 */
public final class WordParams {

  /** The quantity kinds; {@code none} in a manifest turns a parameter's reading off. */
  static final List<String> KINDS = List.of("seconds", "aspect_ratio", "resolution", "factor", "count", "none");
  private static final Map<String, String> BY_NAME = Map.of(
      "duration", "seconds", "aspect_ratio", "aspect_ratio", "resolution", "resolution",
      "upscale", "factor", "count", "count");
  private static final List<String> RATIOS = List.of(
      "1:1", "4:3", "3:4", "16:9", "9:16", "21:9", "9:21", "3:2", "2:3", "5:4", "4:5");
  private static final Pattern RATIO = Pattern.compile("(?<![\\d.])(\\d{1,2})\\s*(?::|：|x|×|/|比)\\s*(\\d{1,2})(?![\\d.])");
  private static final Pattern PIXELS = Pattern.compile("(?<![\\d.])(360|480|540|720|1080|1440|2160|4320)\\s*p(?![a-z])");
  private static final Pattern TIER = Pattern.compile("(?<![\\d.])([1-8])\\s*k(?![a-z])");
  private static final Pattern FACTOR = Pattern.compile("(?<![\\d.:])([2-8])\\s*(?:x|×)(?![a-z0-9])|(?<![a-z])(?:x|×)\\s*([2-8])(?![\\d.:])|([2-8二两三四])\\s*倍");

  private static final WordParams DEFAULT = load();

  private final Map<String, Integer> numbers;
  private final Map<String, Integer> units;
  private final Map<String, List<String>> ratioNames;
  private final Map<Integer, List<String>> resolutionNames;
  private final Pattern seconds;
  private final Pattern count;

  private WordParams(Map<String, Integer> numbers, Map<String, Integer> units, Map<String, List<String>> ratioNames,
      Map<Integer, List<String>> resolutionNames) {
    this.numbers = numbers;
    this.units = units;
    this.ratioNames = ratioNames;
    this.resolutionNames = resolutionNames;
    String number = "(\\d+(?:\\.\\d+)?|[零一二两俩三四五六七八九十]+|" + alternation(numbers.keySet()) + ")";
    this.seconds = Pattern.compile(number + "\\s*(" + alternation(units.keySet()) + ")(?![a-z])");
    this.count = Pattern.compile(number + "\\s*(?:(?:more\\s+)?(?:images|pictures|photos|pics|variations|versions|options|posters)(?![a-z])|张|幅)");
  }

  /** The host's vocabulary, from {@code words.yaml}. */
  public static WordParams standard() {
    return DEFAULT;
  }

  /** One parameter read from the words: which words, what they set. */
  public record Said(String param, Object value, String words) {
    public JsonObject toJson() {
      return new JsonObject().put("param", param).put("value", value).put("words", words);
    }
  }

  /**
   * What the words set for one operation.
   *
   * @param params     the parameters set, within the operation's limits
   * @param said       each one, with the words it came from
   * @param notApplied values said that the operation's limits do not allow, for people
   */
  public record Reading(JsonObject params, List<Said> said, List<String> notApplied) {
    public static final Reading NONE = new Reading(new JsonObject(), List.of(), List.of());

    public Reading {
      params = params.copy();
      said = List.copyOf(said);
      notApplied = List.copyOf(notApplied);
    }
  }

  /** A quantity found in the text: its value and the words it was read from. */
  private record Found(Object value, String words) {}

  /** Reads {@code text} for {@code op}'s parameters; {@code words} is the operation's {@code words:} block. */
  public Reading read(String text, SkillOperation op, JsonObject words) {
    String t = Keywords.normalize(text == null ? "" : text);
    if (t.isEmpty() || op == null) {
      return Reading.NONE;
    }
    JsonObject params = new JsonObject();
    List<Said> said = new ArrayList<>();
    List<String> notApplied = new ArrayList<>();
    for (String param : parameters(op, words)) {
      Object spec = words.getValue(param, BY_NAME.get(param));
      Optional<Found> found = spec instanceof JsonObject values ? byValue(t, values) : find(t, String.valueOf(spec));
      if (found.isEmpty()) {
        continue;
      }
      JsonObject limit = op.limits().getJsonObject(param, new JsonObject());
      Object value = fit(found.get().value(), limit, op.defaults().getValue(param));
      if (value == null) {
        notApplied.add(param + " " + found.get().value() + " (\"" + found.get().words() + "\"): " + allowed(limit));
      } else {
        params.put(param, value);
        said.add(new Said(param, value, found.get().words()));
      }
    }
    return new Reading(params, said, notApplied);
  }

  private static List<String> parameters(SkillOperation op, JsonObject words) {
    List<String> names = new ArrayList<>(words.fieldNames());
    for (String name : BY_NAME.keySet()) {
      if (!names.contains(name) && (op.limits().containsKey(name) || op.defaults().containsKey(name))) {
        names.add(name);
      }
    }
    names.removeIf(n -> "none".equals(words.getValue(n)));
    names.sort(Comparator.naturalOrder());
    return names;
  }

  private Optional<Found> find(String t, String kind) {
    return switch (kind) {
      case "seconds" -> seconds(t);
      case "aspect_ratio" -> ratio(t);
      case "resolution" -> resolution(t);
      case "factor" -> factor(t);
      case "count" -> count(t);
      default -> Optional.empty();
    };
  }

  /** The first value (in the manifest's order) one of whose words the text says. */
  private static Optional<Found> byValue(String t, JsonObject values) {
    Keywords k = Keywords.of(t);
    for (String value : values.fieldNames()) {
      Object list = values.getValue(value);
      if (list instanceof JsonArray phrases) {
        for (Object phrase : phrases) {
          if (k.contains(String.valueOf(phrase))) {
            return Optional.of(new Found(value, String.valueOf(phrase)));
          }
        }
      }
    }
    return Optional.empty();
  }

  private Optional<Found> seconds(String t) {
    Matcher m = seconds.matcher(t);
    while (m.find()) {
      Double n = number(m.group(1));
      Integer unit = units.get(m.group(2));
      if (n != null && unit != null && n > 0) {
        return Optional.of(new Found(whole(n * unit), m.group()));
      }
    }
    return Optional.empty();
  }

  private Optional<Found> ratio(String t) {
    Matcher m = RATIO.matcher(t);
    while (m.find()) {
      String r = Integer.parseInt(m.group(1)) + ":" + Integer.parseInt(m.group(2));
      if (RATIOS.contains(r)) {
        return Optional.of(new Found(r, m.group()));
      }
    }
    return named(t, ratioNames).map(f -> new Found(f.value(), f.words()));
  }

  private Optional<Found> resolution(String t) {
    Matcher p = PIXELS.matcher(t);
    if (p.find()) {
      return Optional.of(new Found(Integer.parseInt(p.group(1)), p.group()));
    }
    Matcher k = TIER.matcher(t);
    if (k.find()) {
      return Optional.of(new Found(k.group(1) + "K", k.group()));
    }
    Map<String, List<String>> names = new LinkedHashMap<>();
    resolutionNames.forEach((px, words) -> names.put(String.valueOf(px), words));
    return named(t, names).map(f -> new Found(Integer.parseInt((String) f.value()), f.words()));
  }

  private static Optional<Found> factor(String t) {
    Matcher m = FACTOR.matcher(t);
    if (m.find()) {
      String digit = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      int n = switch (digit) {
        case "二", "两" -> 2;
        case "三" -> 3;
        case "四" -> 4;
        default -> Integer.parseInt(digit);
      };
      return Optional.of(new Found(n, m.group()));
    }
    return Optional.empty();
  }

  private Optional<Found> count(String t) {
    Matcher m = count.matcher(t);
    while (m.find()) {
      Double n = number(m.group(1));
      if (n != null && n >= 1 && n == Math.floor(n)) {
        return Optional.of(new Found(n.intValue(), m.group()));
      }
    }
    return Optional.empty();
  }

  /** The value whose name the text says, the longest name first ("instagram story" before "story"). */
  private static Optional<Found> named(String t, Map<String, List<String>> names) {
    Keywords k = Keywords.of(t);
    String best = null;
    String bestWords = null;
    for (Map.Entry<String, List<String>> e : names.entrySet()) {
      for (String w : e.getValue()) {
        if ((bestWords == null || w.length() > bestWords.length()) && k.contains(w)) {
          best = e.getKey();
          bestWords = w;
        }
      }
    }
    return best == null ? Optional.empty() : Optional.of(new Found(best, bestWords));
  }

  /**
   * {@code value} as the operation takes it: one of its enum values (by number, or by spelling:
   * "4K", "1080p", "1080"), within its min/max, or null when the limits do not allow it.
   */
  static Object fit(Object value, JsonObject limit, Object dflt) {
    JsonArray allowed = limit.getJsonArray("enum");
    if (allowed != null) {
      for (Object candidate : allowed) {
        if (same(candidate, value)) {
          return candidate;
        }
      }
      return null;
    }
    Double n = value instanceof Number num ? Double.valueOf(num.doubleValue()) : null;
    if (n != null && (limit.getValue("min") instanceof Number min && n < min.doubleValue()
        || limit.getValue("max") instanceof Number max && n > max.doubleValue())) {
      return null;
    }
    if (dflt instanceof String && value instanceof Number num) {
      return num + (limit.isEmpty() && isPixels(num) ? "p" : "");
    }
    return value;
  }

  private static boolean same(Object candidate, Object value) {
    if (candidate instanceof Number c) {
      Double v = value instanceof Number n ? Double.valueOf(n.doubleValue()) : parse(String.valueOf(value));
      if (v == null && value instanceof String tier && TIERS.containsKey(tier)) {
        v = Double.valueOf(TIERS.get(tier)); // "4K" asked of a list in pixels
      }
      return v != null && v == c.doubleValue();
    }
    String c = String.valueOf(candidate).toLowerCase(Locale.ROOT);
    String v = String.valueOf(value).toLowerCase(Locale.ROOT);
    return c.equals(v) || value instanceof Number n && isPixels(n) && c.equals(n.intValue() + "p")
        || value instanceof Number n2 && TIERS.entrySet().stream()
            .anyMatch(t -> t.getValue() == n2.intValue() && t.getKey().equalsIgnoreCase(c));
  }

  /** Resolution tiers as short sides in pixels, for lists in the other spelling. */
  private static final Map<String, Integer> TIERS = Map.of("2K", 1440, "4K", 2160, "8K", 4320);

  private static boolean isPixels(Number n) {
    return List.of(360, 480, 540, 720, 1080, 1440, 2160, 4320).contains(n.intValue());
  }

  private static String allowed(JsonObject limit) {
    if (limit.containsKey("enum")) {
      return "allowed " + limit.getJsonArray("enum").encode();
    }
    return "allowed " + limit.getValue("min", "…") + " to " + limit.getValue("max", "…");
  }

  private Double number(String s) {
    Double d = parse(s);
    if (d != null) {
      return d;
    }
    Integer word = numbers.get(s);
    return word != null ? Double.valueOf(word) : chinese(s);
  }

  private static Double parse(String s) {
    try {
      return Double.valueOf(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** 一 … 九十九: "十五" 15, "二十" 20, "三" 3. */
  private Double chinese(String s) {
    int ten = s.indexOf('十');
    if (ten < 0) {
      Integer n = s.length() == 1 ? numbers.get(s) : null;
      return n == null ? null : Double.valueOf(n);
    }
    Integer tens = ten == 0 ? Integer.valueOf(1) : numbers.get(s.substring(0, ten));
    Integer ones = ten == s.length() - 1 ? Integer.valueOf(0) : numbers.get(s.substring(ten + 1));
    return tens == null || ones == null ? null : Double.valueOf(tens * 10 + ones);
  }

  private static Number whole(double d) {
    if (d == Math.floor(d) && d < Integer.MAX_VALUE) {
      return Integer.valueOf((int) d); // not a ternary: it would widen the Integer to a double
    }
    return Double.valueOf(d);
  }

  private static String alternation(java.util.Collection<String> words) {
    return words.stream().sorted(Comparator.comparingInt(String::length).reversed())
        .map(Pattern::quote).reduce((a, b) -> a + "|" + b).orElse("(?!)");
  }

  @SuppressWarnings("unchecked")
  private static WordParams load() {
    try (InputStream in = WordParams.class.getResourceAsStream("words.yaml")) {
      if (in == null) {
        throw new IllegalStateException("words.yaml is missing beside WordParams");
      }
      Map<String, Object> doc = new Yaml(new LoaderOptions()).load(in);
      Map<String, Integer> numbers = new LinkedHashMap<>();
      Map<String, Integer> units = new LinkedHashMap<>();
      for (Object byLocale : ((Map<String, Object>) doc.get("numbers")).values()) {
        ((Map<Object, Object>) byLocale).forEach((k, v) -> numbers.put(String.valueOf(k), ((Number) v).intValue()));
      }
      for (Object byLocale : ((Map<String, Object>) doc.get("seconds")).values()) {
        ((Map<Object, Object>) byLocale).forEach((k, v) -> units.put(String.valueOf(k), ((Number) v).intValue()));
      }
      Map<String, List<String>> ratios = new LinkedHashMap<>();
      ((Map<Object, List<Object>>) doc.get("aspect_ratio")).forEach((k, v) -> ratios.put(String.valueOf(k), strings(v)));
      Map<Integer, List<String>> resolutions = new LinkedHashMap<>();
      ((Map<Object, List<Object>>) doc.get("resolution")).forEach((k, v) -> resolutions.put(((Number) k).intValue(), strings(v)));
      return new WordParams(numbers, units, ratios, resolutions);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> strings(List<Object> list) {
    return list.stream().map(String::valueOf).toList();
  }
}
