package dev.skillhost.simulators.nemovideo;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * Writes the agent's events in one of the two layouts the protocol notes describe. Neither has a
 * terminal event: the end of a turn is the end of the response.
 */
final class NemoSseWriter {

  private final HttpServerResponse res;
  private final NemoStreamPlan.Layout layout;
  private final String invocation = "e-" + UUID.randomUUID();

  NemoSseWriter(HttpServerResponse res, NemoStreamPlan.Layout layout) {
    this.res = res;
    this.layout = layout;
  }

  boolean open() {
    return !res.closed() && !res.ended();
  }

  void heartbeat() {
    if (layout == NemoStreamPlan.Layout.TYPED) {
      data(new JsonObject().put("type", "heartbeat").encode());
    } else {
      // a comment line and an empty data field: both are keep-alives to a tolerant reader
      write(": keep-alive\n\ndata:\n\n");
    }
  }

  void text(String text) {
    if (layout == NemoStreamPlan.Layout.TYPED) {
      data(new JsonObject().put("type", "text").put("content", text).encode());
      return;
    }
    // ADK streaming: partial chunks first, then the aggregated event with the whole text
    int half = text.length() / 2;
    data(adk(new JsonObject().put("text", text.substring(0, half))).put("partial", true).encode());
    data(adk(new JsonObject().put("text", text.substring(half))).put("partial", true).encode());
    data(adk(new JsonObject().put("text", text)).encode());
  }

  void toolCall(String name, JsonObject args) {
    if (layout == NemoStreamPlan.Layout.TYPED) {
      data(new JsonObject().put("type", "tool_call").put("name", name).put("args", args).encode());
    } else {
      data(adk(new JsonObject().put("functionCall", new JsonObject().put("name", name).put("args", args))).encode());
    }
  }

  void toolResult(String name, JsonObject result) {
    if (layout == NemoStreamPlan.Layout.TYPED) {
      data(new JsonObject().put("type", "tool_result").put("name", name).put("result", result).encode());
    } else {
      data(adk(new JsonObject().put("functionResponse", new JsonObject().put("name", name).put("response", result)))
          .encode());
    }
  }

  void end() {
    if (open()) {
      res.end();
    }
  }

  private JsonObject adk(JsonObject part) {
    return new JsonObject().put("id", UUID.randomUUID().toString()).put("invocationId", invocation)
        .put("author", "nemo_agent").put("timestamp", System.currentTimeMillis() / 1000.0)
        .put("content", new JsonObject().put("role", "model").put("parts", new JsonArray().add(part)))
        .put("actions", new JsonObject().put("stateDelta", new JsonObject()));
  }

  private void data(String json) {
    write("data: " + json + "\n\n");
  }

  private void write(String s) {
    if (open()) {
      res.write(s);
    }
  }
}
