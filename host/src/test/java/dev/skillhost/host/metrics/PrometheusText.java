package dev.skillhost.host.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A strict reader of the Prometheus text format (0.0.4) for tests: any line it cannot read fails. */
public final class PrometheusText {

  public record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? ([-+]?(?:[0-9.eE+-]+|NaN|Inf))(?: -?[0-9]+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
  private static final Pattern META = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*");

  private PrometheusText() {}

  public static List<Sample> parse(String text) {
    List<Sample> out = new ArrayList<>();
    int n = 0;
    for (String line : text.split("\n")) {
      n++;
      if (line.isEmpty() || (line.startsWith("#") && (META.matcher(line).matches() || !line.startsWith("# ")))) {
        continue;
      }
      if (line.startsWith("# ")) {
        throw new AssertionError("line " + n + ": unknown comment: " + line);
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new AssertionError("line " + n + " is not a Prometheus sample: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        int end = 0;
        while (l.find() && l.start() == end) {
          labels.put(l.group(1), l.group(2));
          end = l.end();
        }
        if (end != m.group(2).length()) {
          throw new AssertionError("line " + n + ": unreadable labels: " + line);
        }
      }
      String v = m.group(3);
      out.add(new Sample(m.group(1), labels, v.endsWith("Inf") ? (v.startsWith("-") ? Double.NEGATIVE_INFINITY
          : Double.POSITIVE_INFINITY) : Double.parseDouble(v)));
    }
    return out;
  }

  /** The sum of {@code name}'s samples whose labels include {@code want}. */
  public static double sum(List<Sample> samples, String name, Map<String, String> want) {
    return samples.stream().filter(s -> s.name().equals(name))
        .filter(s -> s.labels().entrySet().containsAll(want.entrySet()))
        .mapToDouble(Sample::value).sum();
  }
}
