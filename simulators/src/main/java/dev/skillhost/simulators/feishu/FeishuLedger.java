package dev.skillhost.simulators.feishu;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every message the simulated bot posted, per chat, with Feishu's {@code uuid} dedupe: a second
 * send with a uuid the same app used within the window (one hour upstream) posts nothing and
 * answers the first message again.
 */
final class FeishuLedger {

  private record Sent(FeishuMessage message, long atMs) {}

  private final List<FeishuMessage> messages = new CopyOnWriteArrayList<>();
  private final Map<String, Sent> byUuid = new ConcurrentHashMap<>();
  private final AtomicInteger deduplicated = new AtomicInteger();
  private volatile Duration window;

  FeishuLedger(Duration window) {
    this.window = window;
  }

  void window(Duration next) {
    window = next;
  }

  /** The message an earlier send with this uuid posted, if still inside the window. */
  synchronized FeishuMessage earlier(String appId, String uuid, long nowMs) {
    if (uuid == null) {
      return null;
    }
    Sent s = byUuid.get(appId + "|" + uuid);
    if (s == null || nowMs - s.atMs() >= window.toMillis()) {
      return null;
    }
    deduplicated.incrementAndGet();
    return s.message();
  }

  synchronized void record(String appId, FeishuMessage m, long nowMs) {
    messages.add(m);
    if (m.uuid() != null) {
      byUuid.put(appId + "|" + m.uuid(), new Sent(m, nowMs));
    }
  }

  List<FeishuMessage> all() {
    return List.copyOf(messages);
  }

  List<FeishuMessage> inChat(String chatOrReceiver) {
    return messages.stream()
        .filter(m -> m.chatId().equals(chatOrReceiver) || m.receiveId().equals(chatOrReceiver))
        .toList();
  }

  int deduplicated() {
    return deduplicated.get();
  }
}
