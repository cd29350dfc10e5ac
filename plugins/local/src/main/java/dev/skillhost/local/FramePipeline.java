package dev.skillhost.local;

import dev.skillhost.local.codec.Colors;
import dev.skillhost.local.codec.Mp4Writer;
import dev.skillhost.local.media.Yuv420;
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
 * whatever the length.
 */
final class FramePipeline {

  /** Draws frame {@code index} into {@code frame}; called on render threads, several at once. */
  @FunctionalInterface
  interface Painter {
    void paint(int index, Yuv420 frame);
  }

  private FramePipeline() {}

  /**
   * Encodes {@code format.frames()} painted frames to {@code out}, reporting progress from
   * {@code from} to {@code to} of the job.
   */
  static void encode(Env env, Path out, VideoFormat format, Painter painter, double from, double to) {
    encode(env, out, format, Colors.BT709, painter, from, to);
  }

  /** As above, for frames whose samples carry {@code colors} (a decoded video's). */
  static void encode(Env env, Path out, VideoFormat format, Colors colors, Painter painter, double from, double to) {
    int n = format.frames();
    int window = Math.max(2, env.par().threads() * 2);
    BlockingQueue<Yuv420> free = new ArrayBlockingQueue<>(window + 1);
    for (int i = 0; i <= window; i++) {
      free.add(new Yuv420(format.width(), format.height()));
    }
    List<Future<Yuv420>> pending = new ArrayList<>(Collections.nCopies(n, null));
    int next = 0;
    try (Mp4Writer writer = new Mp4Writer(out, format.width(), format.height(), format.fps(), env.encoder(), colors)) {
      for (int i = 0; i < n; i++) {
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
        writer.write(frame);
        free.add(frame);
        if (i % 5 == 4 || i == n - 1) {
          env.progress(from + (to - from) * (i + 1) / n, "rendering frame " + (i + 1) + " of " + n);
        }
      }
      writer.finish();
    } finally {
      for (Future<Yuv420> f : pending) {
        if (f != null) f.cancel(true);
      }
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
