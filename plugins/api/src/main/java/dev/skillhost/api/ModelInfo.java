package dev.skillhost.api;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A model a provider can run.
 *
 * @param id          model id as the backend names it
 * @param name        display name
 * @param operations  operations this model serves
 * @param constraints free-form limits, e.g. {@code {"durations":[5,10],"resolutions":["720p"]}}
 */
public record ModelInfo(String id, String name, List<String> operations, JsonObject constraints) {

  public ModelInfo {
    operations = List.copyOf(operations);
    constraints = constraints == null ? new JsonObject() : constraints.copy();
  }
}
