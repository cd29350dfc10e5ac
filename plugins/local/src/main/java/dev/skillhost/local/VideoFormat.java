package dev.skillhost.local;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A video's frame size, rate and length, read from the parameters the cloud skills use:
 * {@code resolution} ("720p", up to the limit), {@code aspect_ratio} (16:9, 9:16, 1:1, 4:3, 3:4),
 * {@code fps} and {@code duration_s} (or {@code duration}).
 */
record VideoFormat(int width, int height, int fps, double seconds) {

  static final List<String> ASPECTS = List.of("16:9", "9:16", "1:1", "4:3", "3:4");
  static final int DEFAULT_FPS = 30;
  static final int MIN_SHORT_SIDE = 144;

  /** Frames in the video, at least one. */
  int frames() {
    return Math.max(1, (int) Math.round(seconds * fps));
  }

  static VideoFormat of(int shortSide, String aspect, int fps, double seconds) {
    String[] parts = aspect.split(":");
    double a = Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
    int w = a >= 1 ? even(shortSide * a) : even(shortSide);
    int h = a >= 1 ? even(shortSide) : even(shortSide / a);
    return new VideoFormat(w, h, fps, seconds);
  }

  /** {@code aspect_ratio}, else the words, else the supported ratio nearest {@code sourceAspect}. */
  static String aspect(Params params, Prompt words, double sourceAspect) {
    Optional<String> given = params.text("aspect_ratio");
    if (given.isPresent() && !given.get().equalsIgnoreCase("auto")) {
      String a = given.get().replace(" ", "").replace('/', ':');
      if (!ASPECTS.contains(a)) {
        throw Invalid.aspectRatio("aspect_ratio " + given.get() + " is not supported; use one of "
            + String.join(", ", ASPECTS) + " (or auto)");
      }
      return a;
    }
    return words.aspect().orElseGet(() -> nearest(sourceAspect));
  }

  static String nearest(double aspect) {
    String best = ASPECTS.get(0);
    double bestDistance = Double.MAX_VALUE;
    for (String a : ASPECTS) {
      String[] p = a.split(":");
      double d = Math.abs(Math.log(aspect / (Double.parseDouble(p[0]) / Double.parseDouble(p[1]))));
      if (d < bestDistance) {
        best = a;
        bestDistance = d;
      }
    }
    return best;
  }

  /** {@code resolution} as a short side in pixels: "720p", "1080", "hd", "full hd", "4k". */
  static int shortSide(Params params, int fallback, Limits limits) {
    Optional<String> given = params.text("resolution");
    if (given.isEmpty()) return Math.min(fallback, limits.maxShortSide());
    String r = given.get().toLowerCase(Locale.ROOT).replace(" ", "");
    int side = switch (r) {
      case "sd" -> 480;
      case "hd" -> 720;
      case "fullhd", "fhd" -> 1080;
      case "2k", "qhd" -> 1440;
      case "4k", "uhd" -> 2160;
      default -> {
        try {
          yield (int) Double.parseDouble(r.endsWith("p") ? r.substring(0, r.length() - 1) : r);
        } catch (NumberFormatException e) {
          throw Invalid.params("resolution must be like 480p, 720p or 1080p, not " + given.get());
        }
      }
    };
    if (side > limits.maxShortSide()) {
      throw Invalid.overLimit("resolution_over_limit", "resolution " + given.get() + " is over the limit of "
          + limits.maxShortSide() + "p");
    }
    if (side < MIN_SHORT_SIDE) {
      throw Invalid.params("resolution must be at least " + MIN_SHORT_SIDE + "p, not " + given.get());
    }
    return side;
  }

  static int fps(Params params, int fallback, Limits limits) {
    double fps = params.number("fps", fallback, 1, Double.MAX_VALUE);
    if (fps > limits.maxFps()) {
      throw Invalid.overLimit("fps_over_limit", "fps " + Params.fmt(fps) + " is over the limit of " + limits.maxFps());
    }
    if (fps != Math.rint(fps)) throw Invalid.params("fps must be a whole number, not " + Params.fmt(fps));
    return (int) fps;
  }

  /** {@code duration_s} or {@code duration} in seconds, else the words ("10 秒"), else the fallback. */
  static double seconds(Params params, Prompt words, double fallback, Limits limits) {
    Optional<Double> given = params.number("duration_s").or(() -> params.number("duration")).or(words::seconds);
    double s = given.orElse(fallback);
    if (!(s > 0)) throw Invalid.params("duration must be more than 0 seconds, not " + Params.fmt(s));
    if (s > limits.maxDurationS()) {
      throw Invalid.overLimit("duration_over_limit", "duration " + Params.fmt(s) + " s is over the limit of "
          + limits.maxDurationS() + " s");
    }
    return s;
  }

  private static int even(double v) {
    int i = (int) Math.round(v / 2) * 2;
    return Math.max(2, i);
  }
}
