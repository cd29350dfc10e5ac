package dev.skillhost.host.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Response;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The API document as vertx-openapi's {@link ResponseValidator} checks it, plus what that
 * validator (5.0) cannot read itself: media types it does not know. Each documented media type
 * it refuses is renamed in a <em>validation view</em> of the document (a {@code +json} type to a
 * vendor JSON type, validated in full; any other to {@code application/octet-stream}), the
 * documented name kept beside it as {@code x-documented}, and a real answer's Content-Type is
 * matched against the documented names here. Server-Sent Events are split into events, and each
 * event's data is validated against the media type's {@code x-event-data} schema.
 */
public final class ApiContract {

  /** One real answer. */
  public record Answer(int status, MultiMap headers, Buffer body) {}

  private final OpenAPIContract contract;
  private final ResponseValidator validator;
  /** operationId → status → answers validated. */
  private final Map<String, Map<Integer, Integer>> validated = new TreeMap<>();
  private int events;

  private ApiContract(Vertx vertx, OpenAPIContract contract) {
    this.contract = contract;
    this.validator = ResponseValidator.create(vertx, contract);
  }

  /** The document as served, checked against OpenAPI 3.1 by vertx-openapi on the way. */
  public static Future<ApiContract> of(Vertx vertx, JsonObject document) {
    return OpenAPIContract.from(vertx, view(document)).map(c -> new ApiContract(vertx, c));
  }

  public OpenAPIContract contract() {
    return contract;
  }

  /** Validates one answer of {@code method path}; fails with what the document does not allow. */
  public Future<Void> check(HttpMethod method, String path, Answer answer) {
    String where = method + " " + path + " → " + answer.status();
    Operation op = contract.findOperation(path, method);
    if (op == null) {
      return Future.failedFuture(new AssertionError(where + ": the document has no such operation"));
    }
    Response response = op.getResponse(answer.status());
    if (response == null) {
      return Future.failedFuture(new AssertionError(where + ": status not documented for " + op.getOperationId()
          + " (" + answer.body().toString() + ")"));
    }
    Map<String, String> headers = new HashMap<>();
    answer.headers().forEach(h -> headers.merge(h.getKey(), h.getValue(), (a, b) -> a + ", " + b));
    String contentType = answer.headers().get("Content-Type");
    boolean hasBody = answer.body() != null && answer.body().length() > 0;
    ValidatableResponse validatable;
    if (response.getContent().isEmpty()) {
      if (hasBody) {
        return Future.failedFuture(new AssertionError(where + ": a body where the document has none"));
      }
      validatable = ValidatableResponse.create(answer.status(), headers);
    } else {
      MediaType media = media(response, contentType);
      if (media == null) {
        return Future.failedFuture(new AssertionError(where + ": Content-Type " + contentType + " is not documented ("
            + documented(response) + ")"));
      }
      try {
        events(media, answer.body());
      } catch (AssertionError e) {
        return Future.failedFuture(new AssertionError(where + ": " + e.getMessage()));
      }
      validatable = ValidatableResponse.create(answer.status(), headers, answer.body(), media.getIdentifier());
    }
    return validator.validate(validatable, op.getOperationId())
        .recover(e -> Future.failedFuture(new AssertionError(where + ": " + e.getMessage()
            + " (" + clip(answer.body()) + ")", e)))
        .onSuccess(v -> validated.computeIfAbsent(op.getOperationId(), k -> new TreeMap<>()).merge(answer.status(), 1, Integer::sum))
        .mapEmpty();
  }

  /** Validates {@code value} against the schema at {@code ref} ({@code #/components/…}, or a resolved schema). */
  public void validate(JsonObject schemaOrRef, Object value, String what) {
    JsonObject schema = schemaOrRef.containsKey("$ref") && schemaOrRef.size() == 1
        ? (JsonObject) JsonPointer.from(schemaOrRef.getString("$ref").substring(1)).queryJson(contract.getRawContract())
        : schemaOrRef;
    OutputUnit result = contract.getSchemaRepository().validator(JsonSchema.of(schema)).validate(value);
    if (!result.getValid()) {
      throw new AssertionError(what + " does not match the document: " + result.getErrors() + " (" + value + ")");
    }
  }

  /** Answers validated, by operation and status. */
  public Map<String, Map<Integer, Integer>> validated() {
    return validated;
  }

  public int total() {
    return validated.values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).sum() + events;
  }

  /** SSE events (and WebSocket frames) validated on their own. */
  public int events() {
    return events;
  }

  /** Counts a frame validated outside {@link #check}. */
  public void countEvent() {
    events++;
  }

  private void events(MediaType media, Buffer body) {
    JsonObject model = media.getOpenAPIModel();
    JsonObject schema = model.getJsonObject("x-event-data");
    if (schema == null) {
      return;
    }
    String text = body.toString();
    // only whole events: a stream read for a moment and cut may end inside one
    for (String frame : text.substring(0, Math.max(0, text.lastIndexOf("\n\n"))).split("\n\n")) {
      StringBuilder data = new StringBuilder();
      for (String line : frame.split("\n")) {
        if (line.startsWith("data:")) {
          data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
        }
      }
      if (data.length() > 0) { // a frame may be a comment, a retry: or an empty priming event
        validate(schema, new JsonObject(data.toString()), "event " + data);
        events++;
      }
    }
  }

  /** The documented media type an answer's Content-Type falls under: exact, then its type's range, then any. */
  private static MediaType media(Response response, String contentType) {
    if (contentType == null) {
      return null;
    }
    String essence = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
    MediaType range = null;
    MediaType any = null;
    for (MediaType m : response.getContent().values()) {
      String doc = m.getOpenAPIModel().getString("x-documented", m.getIdentifier()).toLowerCase(Locale.ROOT);
      if (doc.equals(essence)) {
        return m;
      }
      if (doc.endsWith("/*") && essence.startsWith(doc.substring(0, doc.length() - 1))) {
        range = m;
      }
      if (doc.equals("*/*")) {
        any = m;
      }
    }
    return range != null ? range : any;
  }

  private static List<String> documented(Response response) {
    List<String> names = new ArrayList<>();
    response.getContent().values().forEach(m -> names.add(m.getOpenAPIModel().getString("x-documented", m.getIdentifier())));
    return names;
  }

  /** The document with every {@code content} map's media types renamed to ones vertx-openapi 5.0 reads. */
  static JsonObject view(JsonObject document) {
    return (JsonObject) rename(document.copy(), false);
  }

  private static Object rename(Object node, boolean isContent) {
    if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, rename(array.getValue(i), false));
      }
      return array;
    }
    if (!(node instanceof JsonObject object)) {
      return node;
    }
    JsonObject out = new JsonObject();
    for (String key : object.fieldNames()) {
      Object value = rename(object.getValue(key), key.equals("content"));
      if (isContent && !MediaType.isMediaTypeSupported(key)) {
        JsonObject media = ((JsonObject) value).copy().put("x-documented", key);
        String standIn = key.endsWith("+json")
            ? "application/vnd.skillhost." + key.substring(key.indexOf('/') + 1, key.length() - 5).replaceAll("[^a-z0-9.-]", "-") + "+json"
            : MediaType.APPLICATION_OCTET_STREAM;
        if (!key.endsWith("+json")) {
          media.put("schema", new JsonObject().put("type", "string").put("format", "binary"));
        }
        if (out.containsKey(standIn) || object.containsKey(standIn)) {
          throw new IllegalStateException("two media types of one content map stand in as " + standIn + ": " + object.fieldNames());
        }
        out.put(standIn, media);
      } else if (isContent && key.startsWith("text/plain")) {
        // the validator hands text to the schema as bytes; the document's text is checked for its type only
        out.put(key, ((JsonObject) value).copy().put("schema", new JsonObject().put("type", "string").put("format", "binary")));
      } else {
        out.put(key, value);
      }
    }
    return out;
  }

  private static String clip(Buffer body) {
    String s = body == null ? "" : body.toString();
    return s.length() > 400 ? s.substring(0, 400) + "…" : s;
  }
}
