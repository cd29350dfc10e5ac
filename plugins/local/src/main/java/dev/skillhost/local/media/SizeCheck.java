package dev.skillhost.local.media;

/** Size checks shared by every reader: done on declared sizes, before anything is allocated. */
public final class SizeCheck {

  private SizeCheck() {}

  /** Fails with {@link MediaException.Problem#TOO_LARGE} when {@code w x h} is over {@code maxPixels}. */
  public static void checkPixels(String what, long w, long h, long maxPixels) throws MediaException {
    if (w <= 0 || h <= 0) {
      throw new MediaException(MediaException.Problem.CORRUPT, what + " declares an empty size " + w + "x" + h);
    }
    if (w * h > maxPixels) {
      throw new MediaException(MediaException.Problem.TOO_LARGE, String.format(java.util.Locale.ROOT,
          "%s declares %dx%d pixels (%.1f MP); the limit is %.0f MP", what, w, h, w * h / 1e6, maxPixels / 1e6));
    }
  }
}
