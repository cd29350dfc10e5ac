package dev.skillhost.local.media;

/** A rectangle of a source picture, in its luma pixels (edges, not centres); may be fractional. */
public record View(double x, double y, double w, double h) {

  public double centerX() {
    return x + w / 2;
  }

  public double centerY() {
    return y + h / 2;
  }

  /** The view of width {@code w} (same aspect) centred on {@code (cx, cy)}, kept inside {@code bounds}. */
  public static View centered(double cx, double cy, double w, double h, View bounds) {
    double x = Math.max(bounds.x, Math.min(bounds.x + bounds.w - w, cx - w / 2));
    double y = Math.max(bounds.y, Math.min(bounds.y + bounds.h - h, cy - h / 2));
    return new View(x, y, w, h);
  }

  /** The largest view of this aspect (width / height) inside a {@code width x height} picture, centred on a point. */
  public static View largest(double aspect, int width, int height, double cx, double cy) {
    double w = width;
    double h = width / aspect;
    if (h > height) {
      h = height;
      w = height * aspect;
    }
    return centered(cx, cy, w, h, new View(0, 0, width, height));
  }
}
