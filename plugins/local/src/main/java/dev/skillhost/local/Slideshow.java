package dev.skillhost.local;

import dev.skillhost.local.media.ImageFiles;
import dev.skillhost.local.media.Interest;
import dev.skillhost.local.media.Motion;
import dev.skillhost.local.media.RgbImage;
import dev.skillhost.local.media.StillSource;
import dev.skillhost.local.media.Yuv420;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code slideshow}: several stills in one video, each with its own camera move, joined by
 * crossfades. Each picture is on screen for {@code per} seconds, overlapping the next by the
 * transition, and its move runs across its whole time on screen, so motion does not stop in a fade.
 */
final class Slideshow implements Work {

  static final double DEFAULT_PER_IMAGE_S = 3;
  static final double DEFAULT_TRANSITION_S = 0.8;
  private static final List<Motion> CYCLE = List.of(Motion.ZOOM_IN, Motion.PAN_RIGHT, Motion.ZOOM_OUT, Motion.PAN_LEFT);

  private final List<Source> images;
  private final List<Motion> motions;
  private final Speed speed;
  private final double per;
  private final double transition;
  private final VideoFormat format;

  private Slideshow(List<Source> images, List<Motion> motions, Speed speed, double per, double transition,
      VideoFormat format) {
    this.images = images;
    this.motions = motions;
    this.speed = speed;
    this.per = per;
    this.transition = transition;
    this.format = format;
  }

  static Slideshow plan(Params params, List<Source> inputs, Limits limits) {
    List<Source> images = Source.all(inputs, "image");
    if (images.size() < 2 || images.size() > limits.maxImages()) {
      throw Invalid.inputs("a slideshow takes 2 to " + limits.maxImages() + " inputs with role image, not " + images.size());
    }
    List<ImageFiles.Probe> probes = images.stream().map(s -> Stills.probe(s, limits.maxInputPixels())).toList();
    Prompt words = new Prompt(params.prompt());
    int n = images.size();
    double transition = params.number("transition_s", DEFAULT_TRANSITION_S, 0, 3);
    double total = VideoFormat.seconds(params, words, n * DEFAULT_PER_IMAGE_S - (n - 1) * transition, limits);
    double per = (total + (n - 1) * transition) / n;
    if (per < 2 * transition) {
      throw Invalid.params("each picture would show for " + Params.fmt(per) + " s, less than two "
          + Params.fmt(transition) + " s transitions: make the duration longer or transition_s shorter");
    }
    ImageFiles.Probe first = probes.get(0);
    String aspect = VideoFormat.aspect(params, words, (double) first.width() / first.height());
    VideoFormat format = VideoFormat.of(VideoFormat.shortSide(params, I2v.DEFAULT_SHORT_SIDE, limits), aspect,
        VideoFormat.fps(params, VideoFormat.DEFAULT_FPS, limits), total);
    return new Slideshow(images, motions(params, words, n), I2v.speed(params, words), per, transition, format);
  }

  private static List<Motion> motions(Params params, Prompt words, int n) {
    List<Motion> cycle = CYCLE;
    JsonArray given = params.list("motions").orElse(null);
    if (given != null) {
      if (given.isEmpty()) throw Invalid.params("motions must name at least one motion");
      cycle = given.stream().map(m -> Motion.parse(String.valueOf(m))
          .orElseThrow(() -> Invalid.params("motions: " + m + " is not a motion"))).toList();
    } else if (params.text("motion").isPresent() || words.motion().isPresent()) {
      cycle = List.of(I2v.motion(params, words));
    }
    List<Motion> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(cycle.get(i % cycle.size()));
    return out;
  }

  static final double RENDER_FROM = 0.1;

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
    return Estimates.videoMs(format) + images.size() * 300L;
  }

  @Override
  public Result run(Env env) {
    List<StillSource> stills = new ArrayList<>();
    for (int k = 0; k < images.size(); k++) {
      env.progress(RENDER_FROM * k / images.size(), "preparing picture " + (k + 1) + " of " + images.size());
      RgbImage picture = Stills.read(images.get(k), env.limits().maxInputPixels());
      Motion m = motions.get(k);
      stills.add(StillSource.prepare(picture, m, speed.amount(m), format.width(), format.height(),
          Interest.of(picture), true, env.par()));
    }
    ThreadLocal<Yuv420> incoming = ThreadLocal.withInitial(() -> new Yuv420(format.width(), format.height()));
    ThreadLocal<Yuv420> outgoing = ThreadLocal.withInitial(() -> new Yuv420(format.width(), format.height()));
    double step = per - transition;
    Path out = env.scratch(".mp4");
    FramePipeline.Frames frames = FramePipeline.encode(env, out, format, (i, frame) -> {
      double t = (double) i / format.fps();
      int k = Math.min(stills.size() - 1, (int) Math.floor(t / step));
      double into = t - k * step;
      if (k == 0 || into >= transition) {
        stills.get(k).renderAt(into / per, frame);
        return;
      }
      Yuv420 before = outgoing.get();
      Yuv420 after = incoming.get();
      stills.get(k - 1).renderAt((t - (k - 1) * step) / per, before);
      stills.get(k).renderAt(into / per, after);
      frame.blend(before, after, into / transition);
    }, RENDER_FROM, 1.0);
    return new Result(out, "video", "video/mp4", frames.into(Estimates.videoMeta(format))
        .put("images", images.size())
        .put("motions", new JsonArray(motions.stream().map(Motion::wire).toList()))
        .put("transition_s", transition));
  }
}
