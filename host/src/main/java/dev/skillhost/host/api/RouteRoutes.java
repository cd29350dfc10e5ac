package dev.skillhost.host.api;

import dev.skillhost.host.skills.Messages;
import dev.skillhost.host.skills.RouteAnswer;
import dev.skillhost.host.skills.RouteRequest;
import dev.skillhost.host.skills.Router;
import dev.skillhost.host.store.FileInfo;
import dev.skillhost.host.store.FileStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code POST /v1/route}: which skill and operation a request in words goes to, without making a task.
 *
 * <p>Request: {@code {"text": "animate this photo", "attachments": ["image", "<upload id>"], "locale": "zh-TW"}}.
 * Each attachment is a kind ({@code image}, {@code video}, {@code audio}) or the id of the caller's
 * upload, counted by its type. The locale is {@code locale}, else the {@code Accept-Language}
 * header, else {@code en}.
 *
 * <p>Replies:
 * <ul>
 *   <li>200 {@code kind: "route"}: {@code skill, provider, operation, params, eta {low_s, high_s, text},
 *       estimate, confirm {needed (true, false, or null when unknown), condition}, ready, needs,
 *       message, locale, locale_asked, locale_fallback, candidates [{skill, operation, reason}]};</li>
 *   <li>200 {@code kind: "unsupported"}: a skill's capability boundary answers it: {@code skill,
 *       provider, message, locale…, candidates}. A 200, not an error: the request was understood
 *       and the message is the answer to show the user;</li>
 *   <li>422 {@code no-route} problem: nothing matched; {@code candidates} holds the nearest routes
 *       with a score, the reason they missed and an example that does route;</li>
 *   <li>422 {@code unclear-route} problem: different jobs fit equally well; {@code detail} and
 *       {@code question} are the question to ask the user, {@code options} the jobs (skill,
 *       operation, title, match), {@code candidates} every other skill that matched;</li>
 *   <li>400 {@code invalid-request} for a malformed body, 422 {@code unknown-attachment} for an
 *       upload id the caller does not have.</li>
 * </ul>
 */
final class RouteRoutes {

  static final int MAX_TEXT = 4_000;
  static final int MAX_ATTACHMENTS = 32;
  private static final Set<String> KINDS = Set.of("image", "video", "audio");
  private static final String SHAPE = "Send {\"text\": \"…\", \"attachments\": [\"image\" or an upload id, …], \"locale\": \"en\"}.";

  private final Router router;
  private final FileStore files;

  RouteRoutes(Router router, FileStore files) {
    this.router = router;
    this.files = files;
  }

  void mount(io.vertx.ext.web.Router web) {
    web.post("/v1/route").respond(this::route);
  }

  private Future<JsonObject> route(RoutingContext ctx) {
    JsonObject body = Json.object(ctx);
    String text = text(body.getValue("text"));
    List<String> locales = locales(body.getValue("locale"), ctx.request().getHeader("Accept-Language"));
    List<String> items = attachments(body.getValue("attachments"));
    return AttachmentKinds.count(files, items, Auth.owner(ctx))
        .compose(counts -> router.route(new RouteRequest(text, counts, locales)))
        .compose(answer -> answer instanceof RouteAnswer.NoMatch none ? Future.failedFuture(noRoute(text, none))
            : answer instanceof RouteAnswer.Unclear unclear ? Future.failedFuture(unclear(unclear))
            : Future.succeededFuture(answer.toJson()));
  }

  private static String text(Object value) {
    if (value == null) {
      throw invalid("'text' is required: what the user asked for, in words. " + SHAPE);
    }
    if (!(value instanceof String s)) {
      throw invalid("'text' must be a string, not " + describe(value) + ". " + SHAPE);
    }
    if (s.isBlank()) {
      throw invalid("'text' is empty: say what to make, e.g. \"animate this photo\".");
    }
    if (s.length() > MAX_TEXT) {
      throw invalid("'text' is " + s.length() + " characters; at most " + MAX_TEXT + " are routed.");
    }
    return s;
  }

  private static List<String> locales(Object value, String acceptLanguage) {
    if (value == null) {
      return Messages.acceptLanguage(acceptLanguage);
    }
    if (!(value instanceof String s) || !Messages.isLanguageTag(s)) {
      throw invalid("'locale' must be a language tag such as \"en\", \"zh\" or \"zh-TW\", not "
          + (value instanceof String ? "\"" + value + "\"" : describe(value)) + ".");
    }
    return List.of(s);
  }

  private static List<String> attachments(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray list)) {
      throw invalid("'attachments' must be a list such as [\"image\"] or [\"<upload id>\"], not " + describe(value) + ".");
    }
    if (list.size() > MAX_ATTACHMENTS) {
      throw invalid("'attachments' has " + list.size() + " items; at most " + MAX_ATTACHMENTS + " are accepted.");
    }
    List<String> items = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.getValue(i);
      if (!(item instanceof String s) || !(KINDS.contains(s) || FileStore.isFileId(s))) {
        throw invalid("attachments[" + i + "] is " + (item instanceof String ? "\"" + item + "\"" : describe(item))
            + ": use \"image\", \"video\", \"audio\" or the id of a file from POST /v1/uploads (64 hex digits).");
      }
      items.add(s);
    }
    return items;
  }

  private static ApiException noRoute(String text, RouteAnswer.NoMatch none) {
    JsonObject json = none.toJson();
    String nearest = none.closest().stream().limit(2)
        .map(c -> c.skill() + " " + c.operation() + " (" + c.reason() + ")")
        .collect(Collectors.joining("; "));
    return new ApiException(422, "no-route", "No route",
        "No skill serves \"" + clip(text) + "\"." + (nearest.isEmpty() ? " No skills are loaded." : " Closest: " + nearest + "."),
        new JsonObject().put("candidates", json.getJsonArray("candidates")).put("locale_asked", none.askedLocale())
            .put("question", none.question()));
  }

  /** 422 with the question to ask and the options, not a confident wrong route. */
  private static ApiException unclear(RouteAnswer.Unclear unclear) {
    JsonObject json = unclear.toJson();
    json.remove("kind");
    return new ApiException(422, "unclear-route", "Unclear request", unclear.question(), json);
  }

  private static ApiException invalid(String detail) {
    return new ApiException(400, "invalid-request", "Invalid request", detail);
  }

  private static String describe(Object value) {
    if (value == null) return "null";
    if (value instanceof JsonArray) return "a list";
    if (value instanceof JsonObject) return "an object";
    if (value instanceof Number) return "a number";
    if (value instanceof Boolean) return "a boolean";
    return "a " + value.getClass().getSimpleName().toLowerCase();
  }

  private static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
