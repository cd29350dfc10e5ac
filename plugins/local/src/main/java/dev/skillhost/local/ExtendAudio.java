package dev.skillhost.local;

import dev.skillhost.local.codec.AudioReader;
import dev.skillhost.local.codec.PcmSource;

/**
 * The sound of an {@code extend}: the input's own audio laid out as {@link ExtendMode#sample} says,
 * for exactly as long as the output's frames last. Where a loop jumps back to the start, or a hold
 * falls silent, the sound fades over {@value #RAMP_MS} ms so the jump does not click. A one-frame
 * input has no motion to follow: its sound plays once.
 */
final class ExtendAudio implements PcmSource {

  static final int RAMP_MS = 10;

  private final AudioReader.Pcm pcm;
  private final ExtendMode mode;
  private final long samples;
  private final long span;
  private final long turn;
  private final long ramp;

  ExtendAudio(AudioReader.Pcm pcm, ExtendMode mode, int sourceFrames, double sourceFps, VideoFormat format) {
    this.pcm = pcm;
    int rate = pcm.sampleRate();
    this.samples = Math.round((double) format.frames() / format.fps() * rate);
    this.mode = sourceFrames == 1 ? ExtendMode.HOLD : mode;
    this.span = sourceFrames == 1 ? pcm.samples() : Math.max(1, Math.round(sourceFrames / sourceFps * rate));
    this.turn = Math.round((sourceFrames - 1) / sourceFps * rate);
    this.ramp = Math.max(1, rate * RAMP_MS / 1000);
  }

  @Override
  public int sampleRate() {
    return pcm.sampleRate();
  }

  @Override
  public int channels() {
    return pcm.channels();
  }

  @Override
  public long samples() {
    return samples;
  }

  @Override
  public void fill(long at, float[][] planes, int count) {
    for (int i = 0; i < count; i++) {
      long t = at + i;
      long s = mode.sample(t, span, turn);
      boolean sound = s >= 0 && s < pcm.samples();
      double g = sound ? gain(t) : 0;
      for (int c = 0; c < planes.length; c++) {
        planes[c][i] = sound ? (float) (pcm.planes()[c][(int) s] * g) : 0f;
      }
    }
  }

  /** Below 1 only next to a jump: after a loop's restart, before the next one, before a hold's silence. */
  private double gain(long t) {
    double g = 1;
    if (mode == ExtendMode.LOOP) {
      long pos = t % span;
      if (t >= span) g = Math.min(g, (pos + 1) / (double) ramp);
      if (t - pos + span < samples) g = Math.min(g, (span - pos) / (double) ramp);
    } else if (mode == ExtendMode.HOLD && span < samples) {
      g = Math.min(g, (span - t) / (double) ramp);
    }
    return Math.max(0, Math.min(1, g));
  }
}
