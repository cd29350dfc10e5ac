package dev.skillhost.local;

import dev.skillhost.local.codec.AudioReader;
import dev.skillhost.local.codec.VideoReader;
import dev.skillhost.local.media.MediaException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code extend}: a longer video from a video (any FFmpeg reads, not only this plugin's own) by
 * looping it, playing it forwards and backwards (boomerang), or holding its last frame. The input
 * is decoded once, at the output size, into a scratch file; the output then picks frames from it
 * by time, so the input's and the output's frame rates may differ. The input's own sound, when it
 * has any, is kept: laid out as the mode says ({@link ExtendMode}) and encoded as AAC.
 */
final class Extend implements Work {

  private final Source video;
  private final ExtendMode mode;
  private final VideoFormat format;
  private final double sourceFps;

  private Extend(Source video, ExtendMode mode, VideoFormat format, double sourceFps) {
    this.video = video;
    this.mode = mode;
    this.format = format;
    this.sourceFps = sourceFps;
  }

  static Extend plan(Params params, List<Source> inputs, Limits limits) {
    Source video = Source.one(inputs, "video", "extend");
    if (video.mime() != null && !video.mime().startsWith("video/")) {
      throw new dev.skillhost.api.ProviderException("unsupported_media", 415,
          video.name() + " is " + video.mime() + ", not a video");
    }
    VideoReader.Info info;
    try (VideoReader reader = VideoReader.open(video.path(), limits.maxVideoPixels(), limits.maxInputVideoS())) {
      info = reader.info();
    } catch (MediaException e) {
      throw Invalid.media(video.name(), e);
    }
    Prompt words = new Prompt(params.prompt());
    ExtendMode mode = params.text("mode")
        .map(m -> ExtendMode.parse(m).orElseThrow(() -> Invalid.params("mode " + m + " is not one of loop, boomerang, hold")))
        .or(words::extendMode)
        .orElse(ExtendMode.LOOP);
    int sourceShort = Math.min(info.width(), info.height());
    int shortSide = VideoFormat.shortSide(params, sourceShort, limits);
    int fps = VideoFormat.fps(params, (int) Math.max(1, Math.min(limits.maxFps(), Math.round(info.fps()))), limits);
    double seconds = VideoFormat.seconds(params, words, Math.min(limits.maxDurationS(), 2 * Math.max(info.seconds(), 1)),
        limits);
    double scale = (double) shortSide / sourceShort;
    VideoFormat format = new VideoFormat(even(info.width() * scale), even(info.height() * scale), fps, seconds);
    return new Extend(video, mode, format, info.fps());
  }

  static final double RENDER_FROM = 0.3;

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
    return Estimates.videoMs(format) * 3 / 2;
  }

  @Override
  public Result run(Env env) {
    env.progress(0.01, "decoding the video");
    Path raw = env.scratch(".yuv");
    try (FrameStore store = new FrameStore(raw, format.width(), format.height());
        VideoReader reader = open(env)) {
      long expected = Math.max(1, Math.round(reader.info().seconds() * reader.info().fps()));
      decode(reader, store, expected, env);
      int n = store.count();
      ExtendAudio audio = audio(n, env);
      Path out = env.scratch(".mp4");
      FramePipeline.Frames frames = FramePipeline.encode(env, out, format, reader.info().colors(), (i, frame) -> {
        long j = (long) Math.floor(i * sourceFps / format.fps() + 1e-9);
        store.read(mode.source(j, n), frame);
      }, audio, RENDER_FROM, 1.0);
      JsonObject meta = frames.into(Estimates.videoMeta(format)).put("mode", mode.wire()).put("source_frames", n);
      if (audio != null) {
        meta.put("audio", new JsonObject().put("codec", "aac").put("sample_rate", audio.sampleRate())
            .put("channels", audio.channels()));
      }
      return new Result(out, "video", "video/mp4", meta);
    }
  }

  /** The input's own sound, laid out as the mode says, or null when it has none. */
  private ExtendAudio audio(int n, Env env) {
    env.progress(RENDER_FROM, "decoding the sound");
    // only what the source's frames span is ever heard (a one-frame input's sound plays once)
    double needed = n == 1 ? format.seconds() : n / sourceFps;
    try {
      return AudioReader.read(video.path(), needed + 0.1).map(pcm -> new ExtendAudio(pcm, mode, n, sourceFps, format))
          .orElse(null);
    } catch (MediaException e) {
      throw Invalid.media(video.name(), e);
    }
  }

  private VideoReader open(Env env) {
    try {
      return VideoReader.open(video.path(), env.limits().maxVideoPixels(), env.limits().maxInputVideoS());
    } catch (MediaException e) {
      throw Invalid.media(video.name(), e);
    }
  }

  private void decode(VideoReader reader, FrameStore store, long expected, Env env) {
    try {
      reader.decode(format.width(), format.height(), frame -> {
        store.append(frame);
        if (store.count() % 10 == 0) {
          env.progress(RENDER_FROM * Math.min(1, store.count() / (double) expected), "decoding frame " + store.count());
        }
        return true;
      });
    } catch (MediaException e) {
      throw Invalid.media(video.name(), e);
    }
  }

  private static int even(double v) {
    return Math.max(2, (int) Math.round(v / 2) * 2);
  }
}
