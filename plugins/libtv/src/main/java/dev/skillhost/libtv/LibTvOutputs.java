package dev.skillhost.libtv;

import dev.skillhost.api.Handle;
import dev.skillhost.api.Output;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Outputs of the operations that finish within their submit (upload, account, change_project,
 * the task list): kept in the handle, so the first poll reports them from any plugin instance.
 */
final class LibTvOutputs {

  static final String DONE = "done";

  private LibTvOutputs() {}

  static Handle done(String id, List<Output> outputs) {
    JsonArray json = new JsonArray();
    outputs.forEach(o -> json.add(o.toJson()));
    return Handle.of(id, new JsonObject().put(DONE, json));
  }

  static boolean isDone(Handle handle) {
    return handle.data().getValue(DONE) instanceof JsonArray;
  }

  static List<Output> of(Handle handle) {
    List<Output> outputs = new ArrayList<>();
    for (Object o : handle.data().getJsonArray(DONE)) {
      JsonObject j = (JsonObject) o;
      outputs.add(new Output(j.getString("kind"), j.getString("file"), j.getString("url"), j.getString("mime"),
          j.getJsonObject("meta")));
    }
    return outputs;
  }

  /** A fact the user asked for (key status, a new project, the task list), as a text output. */
  static Output text(String summary, JsonObject facts) {
    return new Output("text", null, null, "application/json", facts.copy().put("text", summary));
  }
}
