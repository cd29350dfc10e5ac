package dev.skillhost.local.codec;

/**
 * How x264 encodes.
 *
 * @param preset  x264 speed preset; {@code veryfast} by default, as the speed goal compares against
 * @param crf     constant rate factor (lower is better and bigger); 23 is x264's own default
 * @param threads encoder threads, 0 for x264's choice from the core count
 */
public record EncoderSettings(String preset, int crf, int threads) {

  public static final EncoderSettings DEFAULT = new EncoderSettings("veryfast", 23, 0);

  public EncoderSettings {
    if (crf < 0 || crf > 51) throw new IllegalArgumentException("crf must be 0..51, not " + crf);
  }
}
