package dev.skillhost.local;

import dev.skillhost.api.Artifacts;
import dev.skillhost.local.codec.EncoderSettings;
import dev.skillhost.local.media.Parallel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;

/**
 * What a running operation works with: threads, encoder settings, limits, scratch files, the
 * checkpoint of its video's segments, its job.
 */
final class Env {

  private final RunningJob job;
  private final ExecutorService render;
  private final Parallel par;
  private final EncoderSettings encoder;
  private final Limits limits;
  private final Artifacts artifacts;
  private final Checkpoint checkpoint;
  private final List<Path> scratch = new CopyOnWriteArrayList<>();

  Env(RunningJob job, ExecutorService render, Parallel par, EncoderSettings encoder, Limits limits, Artifacts artifacts,
      Checkpoint checkpoint) {
    this.job = job;
    this.checkpoint = checkpoint;
    this.render = render;
    this.par = par;
    this.encoder = encoder;
    this.limits = limits;
    this.artifacts = artifacts;
  }

  /** The render pool, for frames; its size is {@link Parallel#threads()}. */
  ExecutorService render() {
    return render;
  }

  Parallel par() {
    return par;
  }

  EncoderSettings encoder() {
    return encoder;
  }

  Limits limits() {
    return limits;
  }

  /** Where a video's segments go; only video work has one. */
  Checkpoint checkpoint() {
    if (checkpoint == null) throw new IllegalStateException("this work has no checkpoint");
    return checkpoint;
  }

  /** A fresh scratch path, deleted after the job unless it was stored. */
  Path scratch(String suffix) {
    Path p = artifacts.scratch(suffix);
    scratch.add(p);
    return p;
  }

  /** Reports progress; throws {@link Cancelled} if the job was cancelled meanwhile. */
  void progress(double fraction, String message) {
    check();
    job.report(fraction, message);
  }

  /** Throws {@link Cancelled} if the job was cancelled or its thread interrupted (plugin stopping). */
  void check() {
    if (job.cancelled() || Thread.currentThread().isInterrupted()) throw new Cancelled();
  }

  void deleteScratch() {
    for (Path p : scratch) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // the host's scratch sweep removes what is left
      }
    }
  }
}
