package dev.skillhost.host.api;

import io.vertx.core.json.JsonObject;

/**
 * A client-facing failure: becomes one {@code application/problem+json} reply (RFC 9457) in
 * {@link ProblemHandler}. Cheap: no stack trace, like vertx-web's {@code HttpException}.
 */
public final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final String title;
  private final JsonObject extensions;

  /**
   * @param status HTTP status
   * @param type   short problem slug, e.g. {@code invalid-json}; becomes {@code /problems/invalid-json}
   * @param title  a fixed summary for the type
   * @param detail what went wrong this time, in words a person can act on
   */
  public ApiException(int status, String type, String title, String detail) {
    this(status, type, title, detail, null);
  }

  public ApiException(int status, String type, String title, String detail, JsonObject extensions) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.extensions = extensions;
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "bad-request", "Bad request", detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "not-found", "Not found", detail);
  }

  public static ApiException unprocessable(String type, String detail) {
    return new ApiException(422, type, "Unprocessable request", detail);
  }

  public static ApiException conflict(String type, String detail) {
    return new ApiException(409, type, "Conflict", detail);
  }

  public int status() {
    return status;
  }

  /** The problem document for this failure. */
  public JsonObject toProblem(String instance) {
    JsonObject problem = new JsonObject()
        .put("type", "/problems/" + type)
        .put("title", title)
        .put("status", status)
        .put("detail", getMessage());
    if (instance != null) {
      problem.put("instance", instance);
    }
    if (extensions != null) {
      extensions.forEach(e -> problem.put(e.getKey(), e.getValue()));
    }
    return problem;
  }
}
