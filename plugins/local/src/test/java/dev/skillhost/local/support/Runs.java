package dev.skillhost.local.support;

import dev.skillhost.api.Handle;
import dev.skillhost.api.Job;
import dev.skillhost.api.Progress;
import dev.skillhost.api.Provider;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Drives the provider as the host does: submit once, then poll until the task ends. */
public final class Runs {

  /**
   * How a task ended: refused at submit ({@code submitError}) or a terminal look ({@code last}),
   * with every look on the way.
   */
  public record Outcome(ProviderException submitError, Handle handle, Progress last, List<Progress> looks) {

    /** The error the task failed with, whether at submit or later. */
    public ProviderException error() {
      return submitError != null ? submitError : last.error();
    }

    public boolean succeeded() {
      return last != null && last.status() == Progress.Status.SUCCEEDED;
    }
  }

  private Runs() {}

  public static Job job(String operation, JsonObject params, List<Job.Input> inputs) {
    return new Job("t_" + UUID.randomUUID().toString().replace("-", ""), operation, params, inputs, "en");
  }

  /** Uploads {@code file} into the context's store as an input in {@code role}. */
  public static Job.Input input(TestContext ctx, String role, Path file, String mime) throws IOException {
    return new Job.Input(role, ctx.files().put(file), mime, java.nio.file.Files.size(file));
  }

  public static Outcome run(Provider provider, Job job, ProviderContext ctx) {
    Handle handle;
    try {
      handle = await(provider.submit(job, ctx));
    } catch (ProviderException e) {
      return new Outcome(e, null, null, List.of());
    }
    return follow(provider, handle, ctx);
  }

  public static Outcome follow(Provider provider, Handle handle, ProviderContext ctx) {
    List<Progress> looks = new ArrayList<>();
    while (true) {
      Progress p = await(provider.poll(handle, ctx));
      looks.add(p);
      if (p.terminal()) return new Outcome(null, handle, p, looks);
      sleep(50);
    }
  }

  /** Waits for a future from a test thread (never an event loop); a failure is rethrown as it is. */
  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
