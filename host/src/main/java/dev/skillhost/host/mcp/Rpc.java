package dev.skillhost.host.mcp;

import io.vertx.core.json.JsonObject;

/** JSON-RPC 2.0 messages as MCP uses them, and the error codes it names. */
final class Rpc {

  static final int PARSE_ERROR = -32700;
  static final int INVALID_REQUEST = -32600;
  static final int METHOD_NOT_FOUND = -32601;
  static final int INVALID_PARAMS = -32602;
  static final int INTERNAL_ERROR = -32603;

  private Rpc() {}

  static JsonObject result(Object id, JsonObject result) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result);
  }

  static JsonObject error(Object id, int code, String message, JsonObject data) {
    JsonObject error = new JsonObject().put("code", code).put("message", message);
    if (data != null) {
      error.put("data", data);
    }
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("error", error);
  }

  static JsonObject notification(String method, JsonObject params) {
    return new JsonObject().put("jsonrpc", "2.0").put("method", method).put("params", params);
  }

  static JsonObject request(Object id, String method, JsonObject params) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method).put("params", params);
  }

  /** A JSON-RPC error to answer a request with; cheap (no stack trace), its message is for people. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;
    final transient JsonObject data;

    Failure(int code, String message) {
      this(code, message, null);
    }

    Failure(int code, String message, JsonObject data) {
      super(message, null, false, false);
      this.code = code;
      this.data = data;
    }
  }

  static Failure invalidParams(String message) {
    return new Failure(INVALID_PARAMS, message);
  }
}
