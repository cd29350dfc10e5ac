package dev.skillhost.local.media;

/**
 * A still made ready for one camera move at one output size: cropped to the region the move can
 * see, resized once with the quality filter so the closest view meets the output at about one
 * source pixel per output pixel, and converted to YUV. After that each frame is one cheap
 * {@link ViewSampler} pass, which is what keeps rendering faster than the encoder.
 */
public final class StillSource {

  private final YuvPlanes planes;
  private final Camera camera;

  private StillSource(YuvPlanes planes, Camera camera) {
    this.planes = planes;
    this.camera = camera;
  }

  /**
   * @param amount    zoom factor between the widest and the closest view, above 1
   * @param interest  where the subject is, or null to use the picture's centre
   */
  public static StillSource prepare(RgbImage image, Motion motion, double amount, int outWidth, int outHeight,
      Interest interest, boolean easeInOut, Parallel par) {
    double aspect = (double) outWidth / outHeight;
    double[] focus = interest == null ? new double[] {image.width() / 2.0, image.height() / 2.0} : interest.center();
    View region = View.largest(aspect, image.width(), image.height(), focus[0], focus[1]);
    int x0 = (int) Math.floor(region.x() + 1e-6);
    int y0 = (int) Math.floor(region.y() + 1e-6);
    int x1 = Math.min(image.width(), (int) Math.ceil(region.x() + region.w() - 1e-6));
    int y1 = Math.min(image.height(), (int) Math.ceil(region.y() + region.h() - 1e-6));
    RgbImage crop = image.crop(x0, y0, x1 - x0, y1 - y0);
    int wantWidth = (int) Math.ceil(outWidth * amount);
    double s = (double) wantWidth / crop.width();
    RgbImage working = crop;
    if (Math.abs(s - 1) > 0.05) {
      working = Resample.resize(crop, wantWidth, Math.max(2, (int) Math.round(crop.height() * s)), par);
    } else {
      s = 1;
    }
    double fx = (focus[0] - x0) * s;
    double fy = (focus[1] - y0) * s;
    Camera camera = Camera.plan(motion, amount, aspect, working.width(), working.height(), fx, fy, easeInOut);
    return new StillSource(YuvPlanes.of(working, par), camera);
  }

  public Camera camera() {
    return camera;
  }

  /** Renders frame {@code i} of a move {@code n} frames long. */
  public void render(int i, int n, Yuv420 out) {
    ViewSampler.render(planes, camera.frame(i, n), out);
  }

  /** Renders the move at time {@code t} in 0..1. */
  public void renderAt(double t, Yuv420 out) {
    ViewSampler.render(planes, camera.at(t), out);
  }
}
