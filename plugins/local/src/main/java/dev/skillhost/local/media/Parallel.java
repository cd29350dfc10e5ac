package dev.skillhost.local.media;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Splits pixel work over a pool of threads. Callers must not be threads of the same pool (the work
 * would wait on itself): jobs call in from their own threads.
 */
public final class Parallel {

  /** Work on the half-open range {@code [from, to)}. */
  @FunctionalInterface
  public interface Range {
    void run(int from, int to);
  }

  private final ExecutorService pool;
  private final int threads;

  public Parallel(ExecutorService pool, int threads) {
    this.pool = pool;
    this.threads = Math.max(1, threads);
  }

  /** Runs on the calling thread only: for tests and small images. */
  public static Parallel inline() {
    return new Parallel(null, 1);
  }

  public int threads() {
    return threads;
  }

  /** Runs {@code body} over {@code [0, n)} in a few chunks per thread and waits for all of them. */
  public void range(int n, Range body) {
    if (pool == null || threads == 1 || n < 64) {
      body.run(0, n);
      return;
    }
    int chunks = Math.min(n, threads * 4);
    List<Callable<Void>> work = new ArrayList<>(chunks);
    for (int c = 0; c < chunks; c++) {
      int from = (int) ((long) n * c / chunks);
      int to = (int) ((long) n * (c + 1) / chunks);
      work.add(() -> {
        body.run(from, to);
        return null;
      });
    }
    try {
      for (Future<Void> f : pool.invokeAll(work)) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException(e.getCause());
    }
  }
}
