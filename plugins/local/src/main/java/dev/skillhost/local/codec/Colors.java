package dev.skillhost.local.codec;

import static org.bytedeco.ffmpeg.global.avutil.*;

/**
 * The colour tags written into a video, FFmpeg's {@code AVCOL_*} values. Stills are converted to
 * BT.709 by this plugin; a video's own samples pass through untouched, so its tags must too, or a
 * player would decode the same samples with another matrix and shift every colour.
 */
public record Colors(int primaries, int transfer, int space) {

  public static final Colors BT709 = new Colors(AVCOL_PRI_BT709, AVCOL_TRC_BT709, AVCOL_SPC_BT709);
}
