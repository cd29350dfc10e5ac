package dev.skillhost.local;

import dev.skillhost.local.media.ImageFiles;
import dev.skillhost.local.media.Interest;
import dev.skillhost.local.media.Look;
import dev.skillhost.local.media.Reframe;
import dev.skillhost.local.media.Resample;
import dev.skillhost.local.media.RgbImage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code image_edit}: any of a look ({@code look}), a new aspect ratio ({@code aspect_ratio}, by
 * {@code reframe: crop} around the subject or {@code fit} on a blurred fill), an upscale
 * ({@code upscale}: 2 or 4, Lanczos) and a format ({@code format}: png or jpeg), applied in that
 * order. Words work too: "black and white", "make it 9:16", "upscale 4x", "as jpeg".
 */
final class ImageEdit implements Work {

  static final float DEFAULT_JPEG_QUALITY = 0.92f;

  private final Source image;
  private final Look look;
  private final String aspect;
  private final boolean fit;
  private final int upscale;
  private final String format;
  private final float quality;
  private final long outputPixels;

  private ImageEdit(Source image, Look look, String aspect, boolean fit, int upscale, String format, float quality,
      long outputPixels) {
    this.image = image;
    this.look = look;
    this.aspect = aspect;
    this.fit = fit;
    this.upscale = upscale;
    this.format = format;
    this.quality = quality;
    this.outputPixels = outputPixels;
  }

  static ImageEdit plan(Params params, List<Source> inputs, Limits limits) {
    Source image = Source.one(inputs, "image", "image_edit");
    ImageFiles.Probe probe = Stills.probe(image, limits.maxInputPixels());
    Prompt words = new Prompt(params.prompt());
    Look look = params.text("look")
        .map(l -> Look.parse(l).orElseThrow(() -> Invalid.params("look " + l
            + " is not one of grayscale, sepia, warm, cool, high_contrast")))
        .or(words::look).orElse(null);
    String aspect = params.text("aspect_ratio").isPresent() || words.aspect().isPresent()
        ? VideoFormat.aspect(params, words, probe.width() / (double) probe.height()) : null;
    boolean fit = reframeMode(params, words);
    int upscale = upscale(params, words);
    Optional<String> asked = params.text("format").or(words::format);
    String format = asked.map(ImageEdit::format).orElse(probe.format().equals("jpeg") ? "jpeg" : "png");
    if (look == null && aspect == null && upscale == 1 && asked.isEmpty()) {
      throw Invalid.params("image_edit needs at least one of look, aspect_ratio, upscale or format");
    }
    float quality = (float) params.number("quality", DEFAULT_JPEG_QUALITY * 100, 1, 100) / 100f;
    long[] size = outputSize(probe.width(), probe.height(), aspect, fit, upscale);
    long pixels = size[0] * size[1];
    if (pixels > limits.maxOutputPixels()) {
      throw Invalid.outputTooLarge(String.format(java.util.Locale.ROOT,
          "the result would be %dx%d pixels (%.1f MP); the limit is %.0f MP: upscale less or use a smaller image",
          size[0], size[1], pixels / 1e6, limits.maxOutputPixels() / 1e6));
    }
    return new ImageEdit(image, look, aspect, fit, upscale, format, quality, pixels);
  }

  private static boolean reframeMode(Params params, Prompt words) {
    Optional<String> mode = params.text("reframe");
    if (mode.isEmpty()) return words.fit();
    return switch (mode.get()) {
      case "crop" -> false;
      case "fit", "blur", "pad" -> true;
      default -> throw Invalid.params("reframe must be crop or fit, not " + mode.get());
    };
  }

  private static int upscale(Params params, Prompt words) {
    Optional<Double> given = params.number("upscale");
    if (given.isEmpty()) return words.upscale().orElse(1);
    double u = given.get();
    if (u != 1 && u != 2 && u != 4) throw Invalid.params("upscale must be 2 or 4, not " + Params.fmt(u));
    return (int) u;
  }

  private static String format(String f) {
    return switch (f.toLowerCase(java.util.Locale.ROOT)) {
      case "png" -> "png";
      case "jpeg", "jpg" -> "jpeg";
      default -> throw Invalid.params("format must be png or jpeg, not " + f);
    };
  }

  private static long[] outputSize(long w, long h, String aspect, boolean fit, int upscale) {
    if (aspect != null) {
      String[] p = aspect.split(":");
      double a = Double.parseDouble(p[0]) / Double.parseDouble(p[1]);
      boolean wider = (double) w / h < a;
      if (fit == wider) {
        w = Math.round(h * a);
      } else {
        h = Math.round(w / a);
      }
    }
    return new long[] {w * upscale, h * upscale};
  }

  @Override
  public long etaMs() {
    return Estimates.imageMs(outputPixels);
  }

  @Override
  public Result run(Env env) {
    env.progress(0.05, "reading the picture");
    RgbImage picture = Stills.read(image, env.limits().maxInputPixels());
    JsonArray edits = new JsonArray();
    if (look != null) {
      env.progress(0.2, "applying the " + look.wire() + " look");
      picture = look.apply(picture, env.par());
      edits.add("look:" + look.wire());
    }
    if (aspect != null) {
      env.progress(0.35, "reframing to " + aspect);
      String[] p = aspect.split(":");
      double a = Double.parseDouble(p[0]) / Double.parseDouble(p[1]);
      picture = fit ? Reframe.fit(picture, a, env.par()) : Reframe.crop(picture, a, Interest.of(picture));
      edits.add("reframe:" + aspect + (fit ? ":fit" : ":crop"));
    }
    if (upscale > 1) {
      env.progress(0.5, "upscaling " + upscale + "x");
      picture = Resample.resize(picture, picture.width() * upscale, picture.height() * upscale, env.par());
      edits.add("upscale:" + upscale + "x");
    }
    env.progress(0.8, "writing " + format.toUpperCase(java.util.Locale.ROOT));
    Path out = env.scratch(format.equals("png") ? ".png" : ".jpg");
    ImageFiles.write(picture, format, out, quality);
    JsonObject meta = new JsonObject().put("width", picture.width()).put("height", picture.height())
        .put("format", format).put("edits", edits);
    return new Result(out, "image", format.equals("png") ? "image/png" : "image/jpeg", meta);
  }
}
