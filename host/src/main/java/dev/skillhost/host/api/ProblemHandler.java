package dev.skillhost.host.api;

import dev.skillhost.host.tasks.TaskRejected;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place failures become replies. Mapped failures are answered with their problem
 * document; anything unmapped is logged and answered with a bare 500 that names no internals.
 */
final class ProblemHandler {

  static final String PROBLEM_JSON = "application/problem+json";
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  private ProblemHandler() {}

  static void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      // too late for a problem document; the connection is all we can still close
      ctx.response().reset();
      return;
    }
    ApiException problem;
    try {
      problem = map(ctx.failure(), ctx.statusCode());
    } catch (RuntimeException mapperFailure) {
      LOG.error("problem mapping failed", mapperFailure);
      problem = null;
    }
    if (problem == null) {
      LOG.error("unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
      problem = new ApiException(500, "internal", "Internal error",
          "The host hit an unexpected error; it has been logged.");
    }
    send(ctx, problem);
  }

  static void send(RoutingContext ctx, ApiException problem) {
    if (problem.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    JsonObject body = problem.toProblem(ctx.request().path());
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", PROBLEM_JSON)
        .end(body.encode());
  }

  private static ApiException map(Throwable failure, int status) {
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure instanceof TaskRejected rejected) {
      return HttpApiVerticle.fromRejection(rejected);
    }
    if (failure instanceof DecodeException) {
      return new ApiException(400, "invalid-json", "Malformed JSON",
          "The request body is not valid JSON: " + firstLine(failure.getMessage()));
    }
    if (failure instanceof ClassCastException) {
      // JsonObject getters throw this when a field has the wrong type
      return new ApiException(400, "invalid-field", "Wrong field type",
          "A field of the request has the wrong type: " + firstLine(failure.getMessage()));
    }
    if (failure instanceof HttpException http) {
      return byStatus(http.getStatusCode(), http.getPayload());
    }
    if (failure == null && status > 0) {
      return byStatus(status, null);
    }
    return null;
  }

  private static ApiException byStatus(int status, String payload) {
    return switch (status) {
      case 400 -> ApiException.badRequest(payload != null ? payload : "The request could not be read.");
      case 401 -> new ApiException(401, "unauthorized", "Unauthorized",
          "Send your API key as 'Authorization: Bearer <key>'.");
      case 404 -> ApiException.notFound("There is nothing at this path.");
      case 405 -> new ApiException(405, "method-not-allowed", "Method not allowed",
          "This path does not take that method.");
      case 413 -> new ApiException(413, "too-large", "Body too large",
          "The request body is larger than this host accepts.");
      case 415 -> new ApiException(415, "unsupported-media-type", "Unsupported media type",
          "Send JSON with 'Content-Type: application/json'.");
      default -> status >= 400 && status < 500
          ? new ApiException(status, "client-error", "Client error", payload != null ? payload : "The request was refused.")
          : null;
    };
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
