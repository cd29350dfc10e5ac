package dev.skillhost.local.codec;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import dev.skillhost.local.media.SizeCheck;
import dev.skillhost.local.media.MediaException;
import dev.skillhost.local.media.MediaException.Problem;
import dev.skillhost.local.media.RgbImage;
import dev.skillhost.local.media.Yuv420;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Reads any video (or still) FFmpeg can demux and decode. {@link #open} reads only the container
 * headers and refuses, before decoding anything, a file that is not media, is cut short before its
 * index, or declares more pixels or seconds than allowed.
 */
public final class VideoReader implements AutoCloseable {

  /**
   * What the headers say.
   *
   * @param frames declared frame count, or 0 when the container does not say
   * @param colors   the stream's colour tags, passed on to what is made from it
   */
  public record Info(int width, int height, double fps, double seconds, long frames, String codec, Colors colors) {}

  /** Receives decoded frames in order; answers false to stop early. */
  @FunctionalInterface
  public interface Sink {
    boolean accept(Yuv420 frame) throws MediaException;
  }

  private final AVFormatContext format;
  private final AVStream stream;
  private final Info info;

  private VideoReader(AVFormatContext format, AVStream stream, Info info) {
    this.format = format;
    this.stream = stream;
    this.info = info;
  }

  public static VideoReader open(Path file, long maxPixels, double maxSeconds) throws MediaException {
    Natives.load();
    boolean isoMedia = isoMedia(file);
    AVFormatContext format = new AVFormatContext(null);
    int r = avformat_open_input(format, file.toString(), null, null);
    if (r < 0) {
      throw isoMedia
          ? new MediaException(Problem.CORRUPT, "the video is truncated or damaged: " + Av.text(r))
          : new MediaException(Problem.NOT_MEDIA, "the file is not a video this provider reads: " + Av.text(r));
    }
    try {
      r = avformat_find_stream_info(format, (org.bytedeco.ffmpeg.avutil.AVDictionary) null);
      if (r < 0) throw new MediaException(Problem.CORRUPT, "the video is truncated or damaged: " + Av.text(r));
      int index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
      if (index < 0) throw new MediaException(Problem.NOT_MEDIA, "the file has no video stream");
      AVStream stream = format.streams(index);
      AVCodecParameters par = stream.codecpar();
      SizeCheck.checkPixels("the video", par.width(), par.height(), maxPixels);
      double fps = rate(stream);
      double seconds = seconds(format, stream);
      if (seconds > maxSeconds) {
        throw new MediaException(Problem.TOO_LARGE, String.format(java.util.Locale.ROOT,
            "the video is %.1f s long; the limit for an input video is %.0f s", seconds, maxSeconds));
      }
      String codec = avcodec_get_name(par.codec_id()).getString();
      return new VideoReader(format, stream, new Info(par.width(), par.height(), fps, seconds, stream.nb_frames(), codec,
          new Colors(par.color_primaries(), par.color_trc(), par.color_space())));
    } catch (MediaException | RuntimeException e) {
      avformat_close_input(format);
      throw e;
    }
  }

  public Info info() {
    return info;
  }

  /**
   * Decodes every frame, converted to a {@code width x height} 4:2:0 picture (the same object each
   * call: copy what you keep). Answers how many frames were decoded. A stream that ends well short
   * of the frame count its header declares (or its length implies) is reported as truncated.
   */
  public int decode(int width, int height, Sink sink) throws MediaException {
    Yuv420 picture = new Yuv420(width, height);
    try (Scaler scaler = Scaler.yuv(width, height)) {
      int[] count = {0};
      run(frame -> {
        scaler.toYuv(frame, picture);
        count[0]++;
        return sink.accept(picture);
      });
      if (count[0] == 0) throw new MediaException(Problem.CORRUPT, "the video is truncated or damaged: no frame decodes");
      long expected = info.frames() > 0 ? info.frames() : Math.round(info.seconds() * info.fps());
      if (count[0] < expected * 0.9) {
        throw new MediaException(Problem.CORRUPT, "the video is truncated or damaged: only " + count[0] + " of the "
            + expected + " frames its header declares could be decoded");
      }
      return count[0];
    }
  }

  /** The first frame as RGB at its own size: how stills ImageIO cannot read (WebP) are decoded. */
  public RgbImage readStill() throws MediaException {
    RgbImage[] still = {null};
    try (Scaler scaler = Scaler.rgba(info.width(), info.height())) {
      run(frame -> {
        still[0] = scaler.toRgb(frame);
        return false;
      });
    }
    if (still[0] == null) throw new MediaException(Problem.CORRUPT, "the image is truncated or damaged: nothing decodes");
    return still[0];
  }

  @Override
  public void close() {
    avformat_close_input(format);
  }

  /** Receives raw decoded frames; answers false to stop. */
  private interface FrameHandler {
    boolean accept(AVFrame frame) throws MediaException;
  }

  /**
   * Decodes until the end or until {@code handler} says stop. Damaged packets are skipped, as
   * players skip them; whether too much was lost is judged by the caller from the frame count.
   */
  private void run(FrameHandler handler) throws MediaException {
    AVCodec decoder = avcodec_find_decoder(stream.codecpar().codec_id());
    if (decoder == null || decoder.isNull()) {
      throw new MediaException(Problem.NOT_MEDIA, "no decoder for " + info.codec() + " video");
    }
    AVCodecContext ctx = avcodec_alloc_context3(decoder);
    AVPacket packet = av_packet_alloc();
    AVFrame frame = av_frame_alloc();
    try {
      Av.check(avcodec_parameters_to_context(ctx, stream.codecpar()), "setting up the decoder");
      ctx.thread_count(0);
      Av.check(avcodec_open2(ctx, decoder, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "opening the decoder");
      boolean more = true;
      // a read error other than the end is where a cut-off file stops: decode what came before it
      while (more && av_read_frame(format, packet) >= 0) {
        if (packet.stream_index() == stream.index()) {
          avcodec_send_packet(ctx, packet);
          more = receive(ctx, frame, handler);
        }
        av_packet_unref(packet);
      }
      if (more) {
        avcodec_send_packet(ctx, null);
        receive(ctx, frame, handler);
      }
    } finally {
      av_frame_free(frame);
      av_packet_free(packet);
      avcodec_free_context(ctx);
    }
  }

  private static boolean receive(AVCodecContext ctx, AVFrame frame, FrameHandler handler) throws MediaException {
    while (true) {
      int r = avcodec_receive_frame(ctx, frame);
      if (r < 0) return true;
      boolean more = handler.accept(frame);
      av_frame_unref(frame);
      if (!more) return false;
    }
  }

  private static double rate(AVStream stream) {
    double fps = av_q2d(stream.avg_frame_rate());
    if (!(fps > 0) || Double.isInfinite(fps)) fps = av_q2d(stream.r_frame_rate());
    return fps > 0 && fps < 1000 ? fps : 30;
  }

  private static double seconds(AVFormatContext format, AVStream stream) {
    if (stream.duration() > 0) return stream.duration() * av_q2d(stream.time_base());
    return format.duration() > 0 ? format.duration() / (double) AV_TIME_BASE : 0;
  }

  /** An ISO media file (MP4, MOV, M4V) starts with an {@code ftyp} box. */
  private static boolean isoMedia(Path file) {
    byte[] head = new byte[8];
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(head, 0, 8) == 8 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p';
    } catch (IOException e) {
      return false;
    }
  }
}
