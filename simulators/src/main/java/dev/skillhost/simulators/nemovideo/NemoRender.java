package dev.skillhost.simulators.nemovideo;

/**
 * One job on the Lambda render proxy: {@code pending → processing → completed | failed}, moved on
 * by each status read.
 */
final class NemoRender {

  final String id;
  final String sessionId;
  final boolean fails;
  final int pollsToFinish;
  int polls;

  NemoRender(String id, String sessionId, boolean fails, int pollsToFinish) {
    this.id = id;
    this.sessionId = sessionId;
    this.fails = fails;
    this.pollsToFinish = pollsToFinish;
  }

  String status() {
    if (polls == 0) return "pending";
    if (polls < pollsToFinish) return "processing";
    return fails ? "failed" : "completed";
  }

  int progress() {
    return "completed".equals(status()) ? 100 : Math.min(95, 5 + polls * 90 / Math.max(1, pollsToFinish));
  }
}
