package dev.skillhost.host.skills;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A routing rule: when the condition holds, the request goes to {@code to} with these parameters.
 *
 * <p>How well it fits is scored on its keywords: the words of the condition's {@code says} calls
 * and its {@code hints}, words people also say of this job that decide nothing on their own ("a
 * video" said with "zoom in" is about the zoom's video) and so are kept out of the condition.
 *
 * @param when   the condition
 * @param to     operation name
 * @param params parameters this route sets (over the operation's defaults)
 * @param hints  words that only add to the route's fit
 * @param at     where the rule stands
 */
public record Route(Condition when, String to, JsonObject params, List<String> hints, Position at) {

  public Route {
    params = params == null ? new JsonObject() : params.copy();
    hints = hints == null ? List.of() : List.copyOf(hints);
  }

  public Route(Condition when, String to, JsonObject params, Position at) {
    this(when, to, params, List.of(), at);
  }

  /** The words the fit is scored on: the condition's keywords, then the hints. */
  public List<String> keywords() {
    if (hints.isEmpty()) {
      return when.keywords();
    }
    List<String> all = new ArrayList<>(when.keywords());
    all.addAll(hints);
    return all;
  }
}
