package dev.skillhost.host.api;

/** A list's {@code limit} query parameter, the same rule for every list the API pages. */
final class PageLimit {

  private PageLimit() {}

  /** Absent: {@code fallback}; else a whole number from 1 to {@code max}, or a 400 problem saying so. */
  static int parse(String value, int fallback, int max) {
    if (value == null) {
      return fallback;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw ApiException.badRequest("'limit' must be a whole number from 1 to " + max + ".");
  }
}
