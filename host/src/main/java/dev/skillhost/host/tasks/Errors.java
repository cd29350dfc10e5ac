package dev.skillhost.host.tasks;

import dev.skillhost.api.ProviderException;
import dev.skillhost.host.skills.ErrorMap;
import dev.skillhost.host.skills.Messages;
import dev.skillhost.host.skills.Rewrite;
import dev.skillhost.host.skills.Skill;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the engine reads failures: through the task's skill error map when one matches, else by
 * the HTTP status. A failed task's error is {@code {kind, action, code, http_status, message,
 * detail}}: {@code message} in the user's language, {@code detail} the backend's own words.
 */
public final class Errors {

  private Errors() {}

  /** Worth another look later when no error rule says otherwise: no answer, a timeout, rate limiting, a server fault. */
  static boolean isTransient(Throwable failure) {
    if (!(failure instanceof ProviderException pe)) {
      return true; // a plugin bug, a timeout or a dropped connection: the task itself may be fine
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

  /**
   * A refusal that only says "not now": rate limited (429) or busy (409, e.g. a thread with a
   * generation running). Nothing was spent, so the task may be sent again later.
   */
  static boolean notNow(Throwable failure) {
    return failure instanceof ProviderException pe && (pe.httpStatus() == 429 || pe.httpStatus() == 409);
  }

  public static JsonObject of(Throwable failure, Skill skill, String locale) {
    if (!(failure instanceof ProviderException pe)) {
      return of("unknown", "contact", null, 0, String.valueOf(failure.getMessage()), null);
    }
    ErrorMap.Meaning m = ErrorMap.classify(skill, pe);
    Map<String, Object> vars = new HashMap<>();
    // the provider's own words, as the skill's rewrite rules let users see them
    String text = skill == null ? pe.text() : Rewrite.apply(skill.rewrites(), skill.locales(), locale, pe.text());
    vars.put("reason", text == null ? "" : text);
    vars.put("code", pe.code() == null ? "" : pe.code());
    vars.put("retry_after", pe.retryAfter() == null ? "" : pe.retryAfter().toSeconds());
    vars.put("skill", skill == null ? "" : skill.id());
    String message = m.rule().filter(r -> r.message() != null)
        .flatMap(r -> Messages.render(r.message(), skill.locales(), locale, vars)).map(r -> r.text())
        .orElse(text);
    return of(lower(m.kind()), lower(m.action()), pe.code(), pe.httpStatus(), message, text);
  }

  static JsonObject of(String kind, String action, String code, int httpStatus, String message, String detail) {
    JsonObject error = new JsonObject().put("kind", kind).put("action", action).put("message", message);
    if (code != null) error.put("code", code);
    if (httpStatus > 0) error.put("http_status", httpStatus);
    if (detail != null && !detail.equals(message)) error.put("detail", detail);
    return error;
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
