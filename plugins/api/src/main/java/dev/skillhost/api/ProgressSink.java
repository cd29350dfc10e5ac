package dev.skillhost.api;

/** Where a streaming provider reports what the backend pushes. Safe to call from any thread. */
@FunctionalInterface
public interface ProgressSink {

  void accept(Progress progress);
}
