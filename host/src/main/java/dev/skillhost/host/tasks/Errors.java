package dev.skillhost.host.tasks;

import dev.skillhost.api.ProviderException;
import io.vertx.core.json.JsonObject;

/**
 * The engine's default reading of provider errors, until a skill's error map says better:
 * a closed kind from the HTTP status, and whether a failed look is worth another.
 */
final class Errors {

  private Errors() {}

  /** Worth another look later: no answer, a timeout, rate limiting or a server-side fault. */
  static boolean isTransient(Throwable failure) {
    if (!(failure instanceof ProviderException pe)) {
      return true; // a plugin bug or a dropped connection: the task itself may be fine
    }
    int s = pe.httpStatus();
    return s == 0 || s == 408 || s == 425 || s == 429 || s >= 500;
  }

  /** Sure that the backend refused a submit, so nothing was spent. */
  static boolean refused(Throwable failure) {
    if (!(failure instanceof ProviderException pe)) {
      return false;
    }
    int s = pe.httpStatus();
    return pe.rejected() || (s >= 400 && s < 500 && s != 408);
  }

  static JsonObject of(Throwable failure) {
    if (failure instanceof ProviderException pe) {
      return of(kind(pe.httpStatus()), pe.code(), pe.httpStatus(), pe.text());
    }
    return of("unknown", null, 0, String.valueOf(failure.getMessage()));
  }

  static JsonObject of(String kind, String code, int httpStatus, String message) {
    JsonObject error = new JsonObject().put("kind", kind).put("message", message);
    if (code != null) error.put("code", code);
    if (httpStatus > 0) error.put("http_status", httpStatus);
    return error;
  }

  private static String kind(int status) {
    return switch (status) {
      case 401, 403 -> "auth";
      case 402 -> "quota";
      case 429 -> "rate_limited";
      case 400, 413, 415, 422 -> "invalid_input";
      case 409 -> "busy";
      case 408, 504 -> "timeout";
      default -> status >= 500 ? "upstream" : "unknown";
    };
  }
}
