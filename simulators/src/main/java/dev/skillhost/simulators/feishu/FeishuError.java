package dev.skillhost.simulators.feishu;

/** A Feishu error answer: HTTP status, the envelope's {@code code} and {@code msg}. */
final class FeishuError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final int status;
  final int code;

  FeishuError(int status, int code, String msg) {
    super(msg, null, false, false);
    this.status = status;
    this.code = code;
  }

  /** Feishu's generic parameter failure for the IM upload APIs. */
  static FeishuError param(String detail) {
    return new FeishuError(400, 234001, "Invalid request param. " + detail);
  }

  /** Feishu's generic parameter failure for the message API. */
  static FeishuError message(String detail) {
    return new FeishuError(400, 230001, "Your request contains an invalid request parameter. " + detail);
  }

  /** The gateway's field validation failure (query parameters, field lengths). */
  static FeishuError field(String detail) {
    return new FeishuError(400, 99992402, "field validation failed: " + detail);
  }
}
