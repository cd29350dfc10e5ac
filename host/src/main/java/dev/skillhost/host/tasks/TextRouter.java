package dev.skillhost.host.tasks;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Routes a task request given as words ({@code text}) to a skill and operation. */
@FunctionalInterface
public interface TextRouter {

  /**
   * @param skill     the chosen skill id
   * @param provider  its provider
   * @param operation the operation
   * @param params    parameters the route sets (the skill's defaults are applied by the engine)
   */
  record Routed(String skill, String provider, String operation, JsonObject params) {}

  /**
   * Routes among every skill, or within {@code skill} when the request names one. Fails with {@link TaskRejected} ({@code NO_ROUTE}) when no skill serves the request, or
   * {@code UNSUPPORTED} when a capability boundary answers it; the detail says why.
   */
  Future<Routed> route(String text, String skill, List<TaskRequest.InputRef> inputs, String locale);

  TextRouter NONE = (text, skill, inputs, locale) -> Future.failedFuture(new TaskRejected(
      TaskRejected.Reason.NO_ROUTE, "This host routes no text: name a provider and an operation."));
}
