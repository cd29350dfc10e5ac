package dev.skillhost.host.skills;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One row of a skill's error map: which backend errors it matches and what they mean.
 *
 * @param code    upstream code to match (as a string), or null
 * @param http    HTTP status to match, or 0
 * @param text    pattern searched in the upstream text (case-insensitive), or null
 * @param kind    the closed error kind
 * @param action  what the user (or the host) should do
 * @param retry   whether and how the host retries
 * @param message what the user is told, or null to use the {@code failed} template
 * @param spent   what this answer to a submit proves about the spend: {@code false} when the
 *                backend certainly made no task and charged nothing (a refusal before any work:
 *                out of credits, not signed in, rate limited), so the task may move to a fallback
 *                skill; {@code true} or null (not said) when it proves nothing, and the task stays
 *                where it is. Said by the manifest's author from the backend's documentation,
 *                never guessed by the host from a status code.
 * @param at      where the rule stands
 */
public record ErrorRule(String code, int http, Pattern text, ErrorKind kind, Action action, Retry retry,
    Localized message, Boolean spent, Position at) {

  /** Whether this rule says its answer proves nothing was spent ({@code spent: false}). */
  public boolean provesNothingSpent() {
    return Boolean.FALSE.equals(spent);
  }

  /** The closed set of error kinds the API reports. */
  public enum ErrorKind { AUTH, QUOTA, RATE_LIMITED, INVALID_INPUT, UNSUPPORTED, BUSY, UPSTREAM, TIMEOUT, UNKNOWN }

  /** What to do about it. */
  public enum Action { REAUTH, TOPUP, WAIT, RESUBMIT, FIX_INPUT, CONTACT, NONE }

  /**
   * @param max            attempts after the first; 0 means never
   * @param obeyRetryAfter wait at least the backend's Retry-After
   * @param delay          base delay between attempts (jittered, doubled each time)
   */
  public record Retry(int max, boolean obeyRetryAfter, Duration delay) {
    public static final Retry NEVER = new Retry(0, false, Duration.ZERO);
  }
}
