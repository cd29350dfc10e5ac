package dev.skillhost.local.codec;

/** An audio track's samples, made on demand: 32-bit float, one array per channel. */
public interface PcmSource {

  int sampleRate();

  /** 1 or 2. */
  int channels();

  /** How many samples the track has, per channel. */
  long samples();

  /** Fills {@code planes[c][0..count)} with the samples from {@code at} on. */
  void fill(long at, float[][] planes, int count);
}
