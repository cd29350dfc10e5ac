package dev.skillhost.local.media;

/**
 * Where the camera looks at each moment of a move: a start and an end view of the same aspect,
 * eased in between. Zoom is interpolated geometrically (equal steps look equal), the centre linearly.
 *
 * @param easeInOut sine ease-in-out when true, constant speed when false
 */
public record Camera(View from, View to, boolean easeInOut) {

  /**
   * Plans a move on a {@code width x height} picture whose whole area is the starting frame's
   * region (the caller crops to it). {@code amount} is the zoom factor between the wide and the
   * close view (greater than 1); {@code focusX, focusY} is where {@link Motion#PUSH_IN} heads.
   */
  public static Camera plan(Motion motion, double amount, double aspect, int width, int height,
      double focusX, double focusY, boolean easeInOut) {
    View base = View.largest(aspect, width, height, width / 2.0, height / 2.0);
    double cw = base.w() / amount;
    double ch = base.h() / amount;
    View close = View.centered(base.centerX(), base.centerY(), cw, ch, base);
    return switch (motion) {
      case ZOOM_IN -> new Camera(base, close, easeInOut);
      case ZOOM_OUT -> new Camera(close, base, easeInOut);
      case PUSH_IN -> new Camera(base, View.centered(focusX, focusY, cw, ch, base), easeInOut);
      case PAN_LEFT -> new Camera(edge(base, cw, ch, 1, 0.5), edge(base, cw, ch, 0, 0.5), easeInOut);
      case PAN_RIGHT -> new Camera(edge(base, cw, ch, 0, 0.5), edge(base, cw, ch, 1, 0.5), easeInOut);
      case PAN_UP -> new Camera(edge(base, cw, ch, 0.5, 1), edge(base, cw, ch, 0.5, 0), easeInOut);
      case PAN_DOWN -> new Camera(edge(base, cw, ch, 0.5, 0), edge(base, cw, ch, 0.5, 1), easeInOut);
    };
  }

  /** The view at {@code t} in 0..1. */
  public View at(double t) {
    double e = ease(Math.max(0, Math.min(1, t)));
    double w = from.w() * Math.pow(to.w() / from.w(), e);
    double h = w * from.h() / from.w();
    double cx = from.centerX() + (to.centerX() - from.centerX()) * e;
    double cy = from.centerY() + (to.centerY() - from.centerY()) * e;
    return new View(cx - w / 2, cy - h / 2, w, h);
  }

  /** The view for frame {@code i} of {@code n}; the first and last frames are exactly the end views. */
  public View frame(int i, int n) {
    return at(n <= 1 ? 0 : (double) i / (n - 1));
  }

  /** How much closer the closest view is than the widest one. */
  public double zoomRange() {
    return Math.max(from.w(), to.w()) / Math.min(from.w(), to.w());
  }

  double ease(double t) {
    return easeInOut ? 0.5 - 0.5 * Math.cos(Math.PI * t) : t;
  }

  /** A {@code w x h} view placed at fraction {@code fx, fy} of the room left inside {@code base}. */
  private static View edge(View base, double w, double h, double fx, double fy) {
    return new View(base.x() + (base.w() - w) * fx, base.y() + (base.h() - h) * fy, w, h);
  }
}
