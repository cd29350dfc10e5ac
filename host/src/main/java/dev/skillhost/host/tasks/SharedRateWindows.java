package dev.skillhost.host.tasks;

import dev.skillhost.api.RateBucket;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limits of {@link RateWindows}, held across every node on one PostgreSQL through the
 * {@link RateLedger}: the node keeps the grants it took, per set of limits a call falls under,
 * and a call goes only by spending one. Asked synchronously on the engine's context like
 * {@link RateWindows}; with no grant at hand it answers a short wait and asks the ledger for more
 * in the background (one request per set at a time), for about as many as wait here.
 *
 * <p>A grant is spent within {@link #spendWithin} of the moment it was asked for, measured here
 * from before the request left, or never: the ledger stamped it with its own grant time plus its
 * validity, and the difference leaves room for the call's way to the backend, so the call reaches
 * the backend before its stamp. A grant that lapses is given back
 * (a call never sent frees its slot for the other nodes).
 *
 * <p>The spacing that {@link RateWindows} does with a bucket per host is done in the ledger, as
 * a second window shared by all nodes (a tenth of the limit in a tenth of the window, counted by
 * grant time): buckets per node would let three nodes space at three times the rate. Engine
 * context only.
 */
final class SharedRateWindows implements RateLimits {

  /** The wait answered while the ledger is being asked: about its round trip. */
  static final long ASKING_WAIT_MS = 10;
  /** After a failed request, the ledger is asked again this much later (and no call goes meanwhile). */
  static final long FAILED_RETRY_MS = 1_000;
  /**
   * A node told the ledger is full asks again after its hint, or after this at the latest: slots
   * come back early when another node gives back grants it did not spend.
   */
  static final long MAX_RETRY_MS = 1_000;
  /** Lapsed grants nobody takes from are given back this often. */
  private static final long SWEEP_MS = 250;
  /** At most this many grants per request (and never more than wait here). */
  static final int MAX_BATCH = 64;
  /** Limits of a window of a minute or less are rates and are spaced; longer ones are budgets (as in RateWindows). */
  private static final long SPACED_UP_TO_MS = 60_000;
  private static final Logger LOG = LoggerFactory.getLogger(SharedRateWindows.class);

  private record Grant(long id, long spendBy) {}

  /** The grants held for one set of limits, oldest first. */
  private static final class Stock {
    final List<RateLedger.Line> lines;
    final int maxBatch;
    final long spendWithin;
    final ArrayDeque<Grant> grants = new ArrayDeque<>();
    final List<Long> lapsed = new ArrayList<>();
    boolean asking;
    boolean failing;
    long retryAt;
    long retryTimer = -1;
    /** When a call last found no grant here: the ledger is asked ahead of the line's wake-up only while someone waits. */
    long wantedAt = Long.MIN_VALUE / 2;

    Stock(List<RateLedger.Line> lines) {
      this.lines = lines;
      this.maxBatch = (int) Math.min(MAX_BATCH, lines.stream()
          .mapToLong(l -> l.spacedMs() > 0 ? l.spacedPermits() : l.permits())
          .min().orElse(1));
      this.spendWithin = lines.stream().mapToLong(SharedRateWindows::spendWithin).min().orElse(0);
    }

    boolean holds(long now) {
      return !grants.isEmpty() && grants.peekLast().spendBy() > now;
    }

    /** Moves grants past their time to {@link #lapsed}. */
    void lapse(long now) {
      while (!grants.isEmpty() && grants.peekFirst().spendBy() <= now) {
        lapsed.add(grants.pollFirst().id());
      }
    }
  }

  private final Vertx vertx;
  private final RateLedger ledger;
  private final LongSupplier clock;
  private final Map<String, Stock> stocks = new HashMap<>();
  /** Each line's count in its window as the ledger last said, and when: {used, at}. */
  private final Map<String, long[]> seen = new HashMap<>();
  private final long sweepTimer;
  private boolean closed;

  /** Call on the engine's context: the sweep that gives back lapsed grants runs there. */
  SharedRateWindows(Vertx vertx, RateLedger ledger) {
    this(vertx, ledger, () -> System.nanoTime() / 1_000_000);
  }

  /**
   * As {@link #SharedRateWindows(Vertx, RateLedger)}, measuring validity on {@code clock}, which
   * must not step back (a wall clock set back would stretch a grant past its stamp at the ledger).
   * The {@code now} passed to {@link #take} and {@link #peek} is not used for that reason.
   */
  SharedRateWindows(Vertx vertx, RateLedger ledger, LongSupplier clock) {
    this.vertx = vertx;
    this.ledger = ledger;
    this.clock = clock;
    this.sweepTimer = vertx.setPeriodic(SWEEP_MS, t -> sweep());
  }

  @Override
  public long peek(String account, List<RateBucket> specs, RateBucket.Call call, long wallNow, int demand) {
    long now = clock.getAsLong();
    Stock s = stock(account, specs, call);
    if (s == null || s.holds(now)) {
      return 0;
    }
    s.wantedAt = now;
    ask(s, demand, now);
    return wait(s, now);
  }

  @Override
  public long take(String account, List<RateBucket> specs, RateBucket.Call call, long wallNow, int demand) {
    long now = clock.getAsLong();
    Stock s = stock(account, specs, call);
    if (s == null) {
      return 0;
    }
    s.lapse(now);
    if (!s.grants.isEmpty()) {
      s.grants.pollFirst();
      if (s.grants.isEmpty() && demand > 1) {
        ask(s, demand - 1, now); // the next in line should not wait a round trip
      }
      return 0;
    }
    s.wantedAt = now;
    ask(s, demand, now);
    return wait(s, now);
  }

  /** The line's count in its window as the ledger last said (all nodes' calls); 0 once a window passed. */
  @Override
  public long used(String account, RateBucket spec, long wallNow) {
    long now = clock.getAsLong();
    long[] v = seen.get(line(account, spec).key());
    return v == null || now - v[1] >= spec.window().toMillis() ? 0 : v[0];
  }

  @Override
  public void close() {
    closed = true;
    vertx.cancelTimer(sweepTimer);
    List<Long> unspent = new ArrayList<>();
    for (Stock s : stocks.values()) {
      vertx.cancelTimer(s.retryTimer);
      s.grants.forEach(g -> unspent.add(g.id()));
      unspent.addAll(s.lapsed);
    }
    stocks.clear();
    if (!unspent.isEmpty()) {
      ledger.giveBack(unspent).onFailure(e -> LOG.debug("unspent grants not given back: {}", e.toString()));
    }
  }

  private long wait(Stock s, long now) {
    return s.asking ? ASKING_WAIT_MS : Math.max(ASKING_WAIT_MS, s.retryAt - now + ASKING_WAIT_MS);
  }

  /** Asks the ledger for up to {@code want} grants, unless a request is under way or the ledger said to wait. */
  private void ask(Stock s, int want, long now) {
    if (closed || s.asking || now < s.retryAt) {
      return;
    }
    s.asking = true;
    int n = Math.max(1, Math.min(want, s.maxBatch));
    List<Long> back = List.copyOf(s.lapsed);
    s.lapsed.clear();
    long askedAt = now; // before the request leaves: the grant's time at the ledger is later
    ledger.grant(s.lines, n, back).onComplete(ar -> {
      s.asking = false;
      long t = clock.getAsLong();
      if (ar.failed()) {
        s.lapsed.addAll(back);
        s.retryAt = t + FAILED_RETRY_MS;
        if (!s.failing) {
          LOG.warn("rate ledger unreachable; calls under {} wait: {}", s.lines.get(0).key(), ar.cause().toString());
        }
        s.failing = true;
        return;
      }
      s.failing = false;
      RateLedger.Grants g = ar.result();
      if (closed) {
        ledger.giveBack(g.ids());
        return;
      }
      g.ids().forEach(id -> s.grants.addLast(new Grant(id, askedAt + s.spendWithin)));
      for (int i = 0; i < s.lines.size(); i++) {
        seen.put(s.lines.get(i).key(), new long[] {g.used()[i], t});
      }
      long retryIn = Math.min(MAX_RETRY_MS, g.retryInMs());
      s.retryAt = g.ids().isEmpty() ? t + retryIn : 0;
      if (g.ids().isEmpty() && t - s.wantedAt <= 2 * MAX_RETRY_MS) {
        // be asking again the moment room comes, so the grants are here when the line wakes
        s.retryTimer = vertx.setTimer(Math.max(1, retryIn), x -> {
          s.retryTimer = -1;
          s.retryAt = 0;
          ask(s, n, clock.getAsLong());
        });
      }
    });
  }

  /** Gives back grants that lapsed in stocks nobody takes from. */
  private void sweep() {
    long now = clock.getAsLong();
    for (Stock s : stocks.values()) {
      s.lapse(now);
      if (!s.lapsed.isEmpty() && !s.asking) {
        List<Long> back = List.copyOf(s.lapsed);
        s.lapsed.clear();
        ledger.giveBack(back).onFailure(e -> s.lapsed.addAll(back));
      }
    }
  }

  /** The grants for the limits that govern {@code call}; null when none does. */
  private Stock stock(String account, List<RateBucket> specs, RateBucket.Call call) {
    List<RateLedger.Line> lines = new ArrayList<>(specs.size());
    for (RateBucket spec : specs) {
      if (spec.calls().contains(call)) {
        lines.add(line(account, spec));
      }
    }
    if (lines.isEmpty()) {
      return null;
    }
    lines.sort(java.util.Comparator.comparing(RateLedger.Line::key));
    StringBuilder key = new StringBuilder();
    lines.forEach(l -> key.append(l.key()).append('\n'));
    return stocks.computeIfAbsent(key.toString(), k -> new Stock(List.copyOf(lines)));
  }

  /**
   * How long after asking a grant of {@code line} may be spent: half its validity at the ledger.
   * The other half is for the way from the take to the backend, which counts the call when it
   * arrives: a submit is stored as {@code submitting} between its take and its send, and then
   * travels.
   */
  static long spendWithin(RateLedger.Line line) {
    return line.validityMs() / 2;
  }

  /**
   * The ledger's line for one account's bucket; its name holds the limit too, so nodes that
   * disagree about a limit (during a plugin upgrade) count apart rather than each by the other's.
   */
  static RateLedger.Line line(String account, RateBucket spec) {
    long window = spec.window().toMillis();
    String key = account + '|' + spec.name() + '|' + spec.permits() + '/' + window;
    if (window > SPACED_UP_TO_MS) {
      return new RateLedger.Line(key, spec.permits(), window, 0, 0);
    }
    long burst = Math.max(1, spec.permits() / 10);
    return new RateLedger.Line(key, spec.permits(), window, burst, Math.max(1, window * burst / spec.permits()));
  }
}
