package dev.skillhost.simulators;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every call that would spend a user's credits, as the backend received it: by idempotency key
 * (or, for backends without one, by whatever identifies the client's request, e.g. a task id in
 * the prompt). Tests read it to prove nothing was sent twice.
 */
public final class SpendLedger {

  /** One spending call: which endpoint, under which key, and what it would cost. */
  public record Spend(String route, String key, double credits) {}

  private final List<Spend> spends = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> byKey = new ConcurrentHashMap<>();

  public void record(String route, String key, double credits) {
    spends.add(new Spend(route, key, credits));
    byKey.computeIfAbsent(key == null ? "" : key, k -> new AtomicInteger()).incrementAndGet();
  }

  /** How many spending calls carried {@code key}. */
  public int count(String key) {
    AtomicInteger n = byKey.get(key);
    return n == null ? 0 : n.get();
  }

  public int total() {
    return spends.size();
  }

  /** Keys that were spent more than once: must be empty when the host is money-safe. */
  public List<String> repeated() {
    return byKey.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey).sorted().toList();
  }

  public List<Spend> spends() {
    return List.copyOf(spends);
  }

  public double credits() {
    return spends.stream().mapToDouble(Spend::credits).sum();
  }
}
