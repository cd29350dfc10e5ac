package dev.skillhost.host.skills;

import dev.skillhost.api.ProviderException;
import dev.skillhost.host.skills.ErrorRule.Action;
import dev.skillhost.host.skills.ErrorRule.ErrorKind;
import dev.skillhost.host.skills.ErrorRule.Retry;
import java.util.Optional;

/**
 * Turns a provider's error into what it means, through a skill's error map: the first rule whose
 * code, HTTP status and text pattern all match (those it sets). Without a matching rule, a default
 * from the HTTP status, which never retries.
 */
public final class ErrorMap {

  /**
   * What an error means.
   *
   * @param kind   closed error kind
   * @param action what to do about it
   * @param retry  whether a read (poll) may be retried; money-spending calls never are
   * @param rule   the rule that matched, or empty for the default
   */
  public record Meaning(ErrorKind kind, Action action, Retry retry, Optional<ErrorRule> rule) {}

  private ErrorMap() {}

  public static Meaning classify(Skill skill, ProviderException e) {
    if (skill != null) {
      for (ErrorRule rule : skill.errors()) {
        if (matches(rule, e)) {
          return new Meaning(rule.kind(), rule.action(), rule.retry(), Optional.of(rule));
        }
      }
    }
    return fallback(e);
  }

  static boolean matches(ErrorRule rule, ProviderException e) {
    if (rule.code() != null && !rule.code().equals(e.code())) {
      return false;
    }
    if (rule.http() != 0 && rule.http() != e.httpStatus()) {
      return false;
    }
    return rule.text() == null || (e.text() != null && rule.text().matcher(e.text()).find());
  }

  private static Meaning fallback(ProviderException e) {
    int s = e.httpStatus();
    ErrorKind kind = switch (s) {
      case 401, 403 -> ErrorKind.AUTH;
      case 402 -> ErrorKind.QUOTA;
      case 429 -> ErrorKind.RATE_LIMITED;
      case 400, 413, 415, 422 -> ErrorKind.INVALID_INPUT;
      case 409 -> ErrorKind.BUSY;
      case 408, 504 -> ErrorKind.TIMEOUT;
      default -> s >= 500 ? ErrorKind.UPSTREAM : ErrorKind.UNKNOWN;
    };
    Action action = switch (kind) {
      case AUTH -> Action.REAUTH;
      case QUOTA -> Action.TOPUP;
      case RATE_LIMITED, BUSY -> Action.WAIT;
      case INVALID_INPUT -> Action.FIX_INPUT;
      default -> Action.CONTACT;
    };
    return new Meaning(kind, action, Retry.NEVER, Optional.empty());
  }
}
