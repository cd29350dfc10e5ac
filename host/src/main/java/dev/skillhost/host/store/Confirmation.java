package dev.skillhost.host.store;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A spend the user was asked to confirm, stored with its task so that a restarted host still
 * shows the estimate and knows whether the answer was already given. The confirmation is what
 * lets a task go on to spend; once {@code confirmedAt} is set it is never asked or accepted again
 * for the same ask (the store refuses a second one, see {@link TaskStore#confirm}).
 *
 * @param by          {@link #HOST} (the skill's {@code confirm:} condition held before submit) or
 *                    {@link #PROVIDER} (the backend stopped a submitted task to ask)
 * @param estimate    the cost shown ({@code credits}, {@code unit}, {@code breakdown}), or null when none was known
 * @param condition   the skill's condition that asked (host only), or null
 * @param askedAt     epoch ms of the ask
 * @param confirmedAt epoch ms the user confirmed, or null while the task waits
 */
public record Confirmation(String by, JsonObject estimate, String condition, long askedAt, Long confirmedAt) {

  public static final String HOST = "host";
  public static final String PROVIDER = "provider";

  /** A new ask, not yet answered. */
  public static Confirmation asked(String by, JsonObject estimate, String condition, long now) {
    return new Confirmation(by, estimate, condition, now, null);
  }

  /** This ask, answered yes at {@code now}. */
  public Confirmation confirm(long now) {
    return new Confirmation(by, estimate, condition, askedAt, now);
  }

  public boolean confirmed() {
    return confirmedAt != null;
  }

  public boolean byHost() {
    return HOST.equals(by);
  }

  /** As the API shows it: times as ISO-8601. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("by", by).put("estimate", estimate)
        .put("asked_at", Instant.ofEpochMilli(askedAt).toString());
    if (condition != null) json.put("condition", condition);
    if (confirmedAt != null) json.put("confirmed_at", Instant.ofEpochMilli(confirmedAt).toString());
    return json;
  }

  JsonObject encode() {
    return new JsonObject().put("by", by).put("estimate", estimate).put("condition", condition)
        .put("asked_at", askedAt).put("confirmed_at", confirmedAt);
  }

  static Confirmation decode(JsonObject j) {
    return j == null ? null : new Confirmation(j.getString("by"), j.getJsonObject("estimate"), j.getString("condition"),
        j.getLong("asked_at", 0L), j.getLong("confirmed_at"));
  }
}
