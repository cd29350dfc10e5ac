package dev.skillhost.local.codec;

import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg return codes, checked. */
final class Av {

  /** {@code AVERROR(EAGAIN)} on Linux, the one platform this plugin bundles. */
  static final int EAGAIN = -11;

  private Av() {}

  /** {@code code} when it is not negative, else an {@link IllegalStateException} naming {@code what}. */
  static int check(int code, String what) {
    if (code < 0) throw new IllegalStateException(what + " failed: " + text(code));
    return code;
  }

  static String text(int code) {
    byte[] buf = new byte[256];
    avutil.av_strerror(code, buf, buf.length);
    int n = 0;
    while (n < buf.length && buf[n] != 0) n++;
    return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8) + " (" + code + ")";
  }
}
