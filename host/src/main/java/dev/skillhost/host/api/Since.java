package dev.skillhost.host.api;

/** Reads a resume point ({@code since}, {@code Last-Event-ID}): a sequence number, 0 for all. */
final class Since {

  private Since() {}

  static long parse(String value, String name) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      long since = Long.parseLong(value.strip());
      if (since >= 0) {
        return since;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw ApiException.badRequest("'" + name + "' must be a whole number ≥ 0 (the last event seq you saw), not '"
        + value + "'.");
  }
}
