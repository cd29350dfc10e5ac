package dev.skillhost.local;

import dev.skillhost.local.codec.Natives;
import dev.skillhost.local.codec.Warmup;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pf4j.Plugin;

/**
 * The plugin's lifecycle. Start warms up in the background: FFmpeg's libraries are extracted and
 * loaded, and a small clip runs through the pixel loops so the JIT has compiled them (both take a
 * second or two; better now than in a user's first task). Stop ends running jobs before PF4J
 * closes the class loader, so no job thread is left to load classes from a closed jar, and removes
 * this version's extracted libraries.
 */
public final class LocalPlugin extends Plugin {

  private static final System.Logger LOG = System.getLogger(LocalPlugin.class.getName());
  private static final long WARMUP_WAIT_MS = 15_000;
  // enough frames for the pixel loops to reach the JIT's top tier; well under a second of CPU
  private static final int WARMUP_WIDTH = 640;
  private static final int WARMUP_HEIGHT = 360;
  private static final int WARMUP_FRAMES = 60;

  private Thread warmup;

  @Override
  public void start() {
    warmup = new Thread(LocalPlugin::warmUp, "skillhost-local-warmup");
    warmup.setDaemon(true);
    warmup.start();
  }

  @Override
  public void stop() {
    try {
      if (warmup != null) warmup.join(WARMUP_WAIT_MS);
      LocalRuntime.shutdown();
      Natives.release();
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "stopping the local provider left something behind", e);
    }
  }

  private static void warmUp() {
    try {
      Natives.sweepStale();
      Path clip = Files.createTempFile("skillhost-local-warmup", ".mp4");
      try {
        Warmup.encode(clip, WARMUP_WIDTH, WARMUP_HEIGHT, WARMUP_FRAMES);
      } finally {
        Files.deleteIfExists(clip);
      }
    } catch (Exception | LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "the local provider's FFmpeg did not load; its tasks will fail", e);
    }
  }
}
