package dev.skillhost.host.cli;

import java.io.Console;
import java.nio.charset.Charset;

/** What this process's standard streams are connected to. */
final class Terminal {

  private Terminal() {}

  /**
   * Whether a person is looking at stdout (and can answer on stdin). On JDK 22+ {@code console()}
   * is never null, so its {@code isTerminal()} is asked as well.
   */
  static boolean interactive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 17-21: a console exists only on a terminal
    }
  }

  /** The charset stdout is encoded in (a bar drawn in block characters needs UTF-8). */
  static Charset charset() {
    for (String property : new String[] {"stdout.encoding", "sun.stdout.encoding", "native.encoding"}) {
      String name = System.getProperty(property);
      if (name != null && Charset.isSupported(name)) {
        return Charset.forName(name);
      }
    }
    return Charset.defaultCharset();
  }
}
