package dev.skillhost.local;

import dev.skillhost.local.media.ImageFiles;
import dev.skillhost.local.media.Interest;
import dev.skillhost.local.media.Motion;
import dev.skillhost.local.media.RgbImage;
import dev.skillhost.local.media.StillSource;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code i2v}: a video from one still by a camera move (zoom, pan or push-in, eased), chosen by
 * {@code motion} and {@code speed} (or {@code zoom}, a factor) or by the prompt's words.
 */
final class I2v implements Work {

  static final double DEFAULT_SECONDS = 5;
  static final int DEFAULT_SHORT_SIDE = 720;

  private final Source image;
  private final Motion motion;
  private final double amount;
  private final boolean easeInOut;
  private final VideoFormat format;

  private I2v(Source image, Motion motion, double amount, boolean easeInOut, VideoFormat format) {
    this.image = image;
    this.motion = motion;
    this.amount = amount;
    this.easeInOut = easeInOut;
    this.format = format;
  }

  static I2v plan(Params params, List<Source> inputs, Limits limits) {
    Source image = Source.one(inputs, "image", "i2v");
    ImageFiles.Probe probe = Stills.probe(image, limits.maxInputPixels());
    Prompt words = new Prompt(params.prompt());
    Motion motion = motion(params, words);
    Speed speed = speed(params, words);
    double amount = params.number("zoom").isPresent() ? params.number("zoom", 0, 1.01, 3) : speed.amount(motion);
    String aspect = VideoFormat.aspect(params, words, (double) probe.width() / probe.height());
    VideoFormat format = VideoFormat.of(VideoFormat.shortSide(params, DEFAULT_SHORT_SIDE, limits), aspect,
        VideoFormat.fps(params, VideoFormat.DEFAULT_FPS, limits),
        VideoFormat.seconds(params, words, DEFAULT_SECONDS, limits));
    return new I2v(image, motion, amount, easing(params), format);
  }

  static Motion motion(Params params, Prompt words) {
    return params.text("motion")
        .map(m -> Motion.parse(m).orElseThrow(() -> Invalid.params("motion " + m + " is not one of zoom_in, zoom_out,"
            + " pan_left, pan_right, pan_up, pan_down, push_in")))
        .or(words::motion)
        .orElse(Motion.PUSH_IN);
  }

  static Speed speed(Params params, Prompt words) {
    return params.text("speed")
        .map(s -> Speed.parse(s).orElseThrow(() -> Invalid.params("speed " + s + " is not one of slow, normal, fast")))
        .or(words::speed)
        .orElse(Speed.NORMAL);
  }

  static boolean easing(Params params) {
    String e = params.text("easing").orElse("in_out");
    if (!e.equals("in_out") && !e.equals("linear")) throw Invalid.params("easing must be in_out or linear, not " + e);
    return e.equals("in_out");
  }

  static final double RENDER_FROM = 0.05;

  @Override
  public VideoFormat video() {
    return format;
  }

  @Override
  public double renderFrom() {
    return RENDER_FROM;
  }

  @Override
  public long etaMs() {
    return Estimates.videoMs(format);
  }

  @Override
  public Result run(Env env) {
    env.progress(0.01, "reading the picture");
    RgbImage picture = Stills.read(image, env.limits().maxInputPixels());
    env.progress(0.03, "preparing the camera move");
    // the subject matters only where the camera heads for it, or where the frame crops the picture
    double aspects = Math.abs(Math.log(picture.aspect() * format.height() / format.width()));
    Interest interest = motion == Motion.PUSH_IN || aspects > 0.01 ? Interest.of(picture) : null;
    StillSource still = StillSource.prepare(picture, motion, amount, format.width(), format.height(), interest,
        easeInOut, env.par());
    Path out = env.scratch(".mp4");
    int n = format.frames();
    FramePipeline.Frames frames = FramePipeline.encode(env, out, format, (i, frame) -> still.render(i, n, frame),
        RENDER_FROM, 1.0);
    JsonObject meta = frames.into(Estimates.videoMeta(format))
        .put("motion", motion.wire())
        .put("zoom", amount)
        .put("easing", easeInOut ? "in_out" : "linear");
    return new Result(out, "video", "video/mp4", meta);
  }
}
