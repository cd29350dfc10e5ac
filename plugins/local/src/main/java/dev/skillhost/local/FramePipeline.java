package dev.skillhost.local;

import dev.skillhost.local.codec.Colors;
import dev.skillhost.local.codec.Mp4Join;
import dev.skillhost.local.codec.Mp4Writer;
import dev.skillhost.local.codec.PcmSource;
import dev.skillhost.local.media.Yuv420;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Renders a video's frames on the render pool, a few ahead and in parallel, and hands them to x264
 * in order on the job's thread. Frame buffers are reused, so memory stays at a handful of frames
 * whatever the length. The frames go into the job's {@link Checkpoint} segment by segment (skipping
 * those a cut-off run already made), and the segments are then joined, not re-encoded, into the
 * output, with an audio track when one is given.
 */
final class FramePipeline {

  /** Draws frame {@code index} into {@code frame}; called on render threads, several at once. */
  @FunctionalInterface
  interface Painter {
    void paint(int index, Yuv420 frame);
  }

  /**
   * How the frames were had: {@code reused} from a cut-off run's segments, {@code rendered} by this one.
   */
  record Frames(int reused, int rendered) {

    /** Adds the counts to an output's facts. */
    JsonObject into(JsonObject meta) {
      return meta.put("frames_rendered", rendered).put("frames_reused", reused);
    }
  }

  private FramePipeline() {}

  /**
   * Encodes {@code format.frames()} painted frames to {@code out}, reporting progress from
   * {@code from} to {@code to} of the job.
   */
  static Frames encode(Env env, Path out, VideoFormat format, Painter painter, double from, double to) {
    return encode(env, out, format, Colors.BT709, painter, null, from, to);
  }

  /** As above, for frames whose samples carry {@code colors} (a decoded video's), and with {@code audio} if not null. */
  static Frames encode(Env env, Path out, VideoFormat format, Colors colors, Painter painter, PcmSource audio,
      double from, double to) {
    Checkpoint checkpoint = env.checkpoint();
    int n = format.frames();
    int first = checkpoint.framesDone();
    if (first > 0) {
      env.progress(from + (to - from) * first / n, "resumed at frame " + (first + 1) + " of " + n + ": "
          + first + " frames kept from the run that was cut off");
    }
    int seg = checkpoint.segmentFrames();
    int window = Math.max(2, env.par().threads() * 2);
    BlockingQueue<Yuv420> free = new ArrayBlockingQueue<>(window + 1);
    for (int i = 0; i <= window; i++) {
      free.add(new Yuv420(format.width(), format.height()));
    }
    List<Future<Yuv420>> pending = new ArrayList<>(Collections.nCopies(n, null));
    int next = first;
    Mp4Writer writer = null;
    Path partial = null;
    try {
      for (int i = first; i < n; i++) {
        for (; next < n && next < i + window; next++) {
          int index = next;
          pending.set(index, env.render().submit(() -> {
            Yuv420 frame = free.take();
            painter.paint(index, frame);
            return frame;
          }));
        }
        Yuv420 frame = take(pending.get(i));
        pending.set(i, null);
        env.check();
        if (writer == null) {
          partial = checkpoint.partial(i / seg);
          writer = new Mp4Writer(partial, format.width(), format.height(), format.fps(), env.encoder(), colors, false);
        }
        writer.write(frame);
        free.add(frame);
        if ((i + 1) % seg == 0 || i == n - 1) {
          writer.finish();
          writer.close();
          writer = null;
          checkpoint.commit(i / seg, partial);
          partial = null;
        }
        if (i % 5 == 4 || i == n - 1) {
          env.progress(from + (to - from) * (i + 1) / n, "rendering frame " + (i + 1) + " of " + n);
        }
      }
    } finally {
      for (Future<Yuv420> f : pending) {
        if (f != null) f.cancel(true);
      }
      if (writer != null) writer.close();
      if (partial != null) deleteQuietly(partial);
    }
    env.check();
    Mp4Join.join(checkpoint.segments(), out, audio);
    return new Frames(first, n - first);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // the next run of the task drops .part files
    }
  }

  private static Yuv420 take(Future<Yuv420> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Cancelled();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) throw re;
      if (cause instanceof Error err) throw err;
      throw new IllegalStateException(cause);
    }
  }
}
