package dev.skillhost.host.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.Locale;

/** A yes/no question on stderr (stdout stays clean for --json), answered on stdin; no answer is no. */
final class Prompt {

  private final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()));

  boolean yes(String question) {
    System.err.print(question + " [y/N] ");
    System.err.flush();
    try {
      String answer = in.readLine();
      if (answer == null) {
        System.err.println();
        return false;
      }
      String a = answer.strip().toLowerCase(Locale.ROOT);
      return a.equals("y") || a.equals("yes");
    } catch (IOException e) {
      return false;
    }
  }

  /** "Spend 150 credits?", naming the unit when it is not plain credits. */
  static String spend(Object credits, String unit) {
    String amount = credits instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        ? Long.toString(n.longValue()) : String.valueOf(credits);
    return "Spend " + amount + " credits" + (unit == null || unit.equals("credits") ? "" : " (" + unit + ")") + "?";
  }
}
