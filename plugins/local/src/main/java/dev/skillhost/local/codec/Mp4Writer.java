package dev.skillhost.local.codec;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import dev.skillhost.local.media.Yuv420;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * Writes H.264 (libx264, yuv420p, limited range, tagged with the given {@link Colors}) into an MP4 whose index (moov) is moved to the
 * front when it is finished ("faststart"), so a browser can start playing before the whole file
 * has arrived. Not thread-safe: one thread writes, in frame order.
 */
public final class Mp4Writer implements AutoCloseable {

  private final AVFormatContext format;
  private final AVCodecContext codec;
  private final AVStream stream;
  private final AVFrame frame;
  private final AVPacket packet;
  private final int width;
  private final int height;
  private long pts;
  private boolean finished;

  public Mp4Writer(Path file, int width, int height, int fps, EncoderSettings settings, Colors colors) {
    this(file, width, height, fps, settings, colors, true);
  }

  /**
   * As above; without {@code faststart} the index stays at the end, which saves rewriting the
   * file: for segments that are joined into a faststart file later ({@link Mp4Join}).
   */
  public Mp4Writer(Path file, int width, int height, int fps, EncoderSettings settings, Colors colors,
      boolean faststart) {
    Natives.load();
    this.width = width;
    this.height = height;
    format = new AVFormatContext(null);
    Av.check(avformat_alloc_output_context2(format, null, "mp4", file.toString()), "creating the MP4 muxer");
    AVCodec x264 = avcodec_find_encoder_by_name("libx264");
    if (x264 == null || x264.isNull()) throw new IllegalStateException("this FFmpeg build has no libx264");
    stream = avformat_new_stream(format, null);
    codec = avcodec_alloc_context3(x264);
    codec.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P)
        .time_base(av_make_q(1, fps)).framerate(av_make_q(fps, 1))
        .color_range(AVCOL_RANGE_MPEG).colorspace(colors.space())
        .color_primaries(colors.primaries()).color_trc(colors.transfer())
        .thread_count(settings.threads());
    if ((format.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
      codec.flags(codec.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
    }
    AVDictionary options = new AVDictionary(null);
    av_dict_set(options, "preset", settings.preset(), 0);
    av_dict_set(options, "crf", Integer.toString(settings.crf()), 0);
    av_dict_set(options, "profile", "high", 0);
    try {
      Av.check(avcodec_open2(codec, x264, options), "opening libx264");
    } finally {
      av_dict_free(options);
    }
    Av.check(avcodec_parameters_from_context(stream.codecpar(), codec), "copying codec parameters");
    stream.time_base(codec.time_base());
    AVIOContext io = new AVIOContext(null);
    Av.check(avio_open(io, file.toString(), AVIO_FLAG_WRITE), "opening " + file.getFileName());
    format.pb(io);
    AVDictionary muxing = new AVDictionary(null);
    if (faststart) av_dict_set(muxing, "movflags", "+faststart", 0);
    try {
      Av.check(avformat_write_header(format, muxing), "writing the MP4 header");
    } finally {
      av_dict_free(muxing);
    }
    frame = av_frame_alloc();
    frame.format(AV_PIX_FMT_YUV420P).width(width).height(height);
    Av.check(av_frame_get_buffer(frame, 0), "allocating a frame");
    packet = av_packet_alloc();
  }

  /** Encodes the next frame. */
  public void write(Yuv420 picture) {
    if (picture.width != width || picture.height != height) {
      throw new IllegalArgumentException("frame is " + picture.width + "x" + picture.height + ", video is "
          + width + "x" + height);
    }
    // the encoder may still hold a reference to the last frame's buffers
    Av.check(av_frame_make_writable(frame), "making a frame writable");
    copy(picture.y, width, height, frame.data(0), frame.linesize(0));
    copy(picture.u, width / 2, height / 2, frame.data(1), frame.linesize(1));
    copy(picture.v, width / 2, height / 2, frame.data(2), frame.linesize(2));
    frame.pts(pts++).duration(1);
    Av.check(avcodec_send_frame(codec, frame), "encoding a frame");
    drain();
  }

  /** Flushes the encoder and writes the index; the file is complete after this. */
  public void finish() {
    if (finished) return;
    Av.check(avcodec_send_frame(codec, null), "flushing the encoder");
    drain();
    Av.check(av_write_trailer(format), "finishing the MP4");
    finished = true;
  }

  /** Frames written so far. */
  public long frames() {
    return pts;
  }

  @Override
  public void close() {
    av_packet_free(packet);
    av_frame_free(frame);
    avcodec_free_context(codec);
    if (format.pb() != null && !format.pb().isNull()) {
      avio_closep(format.pb());
    }
    avformat_free_context(format);
  }

  private void drain() {
    while (true) {
      int r = avcodec_receive_packet(codec, packet);
      if (r == Av.EAGAIN || r == AVERROR_EOF) return;
      Av.check(r, "encoding");
      // every frame lasts one tick; without it the last frame has no duration and the MP4's edit
      // list cuts it off (players and ffprobe then see one frame less)
      if (packet.duration() <= 0) packet.duration(1);
      av_packet_rescale_ts(packet, codec.time_base(), stream.time_base());
      packet.stream_index(stream.index());
      Av.check(av_interleaved_write_frame(format, packet), "writing a packet");
    }
  }

  private static void copy(byte[] plane, int w, int h, BytePointer dst, int stride) {
    if (stride == w) {
      dst.position(0).put(plane, 0, w * h);
      return;
    }
    for (int row = 0; row < h; row++) {
      dst.position((long) row * stride).put(plane, row * w, w);
    }
    dst.position(0);
  }
}
