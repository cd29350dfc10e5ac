package dev.skillhost.local.codec;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swresample.*;

import dev.skillhost.local.media.MediaException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Decodes a video file's own sound (its best audio stream) to float samples in memory, mono or
 * stereo (more channels are downmixed by swresample), at a rate AAC can carry. Sample 0 is the
 * moment the video's first frame shows: audio that starts later is preceded by silence, audio
 * that starts earlier is cut.
 */
public final class AudioReader {

  /**
   * Decoded sound.
   *
   * @param planes one array per channel, all of the same length
   */
  public record Pcm(int sampleRate, float[][] planes) {

    public int channels() {
      return planes.length;
    }

    public int samples() {
      return planes[0].length;
    }
  }

  private static final Set<Integer> AAC_RATES = Set.of(8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000,
      64000, 88200, 96000);

  private AudioReader() {}

  /**
   * The file's sound up to {@code maxSeconds} after its first frame, or empty when it has no audio
   * stream. Damaged packets are skipped, as players skip them.
   *
   * @throws MediaException when this FFmpeg has no decoder for the sound
   */
  public static Optional<Pcm> read(Path file, double maxSeconds) throws MediaException {
    Natives.load();
    AVFormatContext format = new AVFormatContext(null);
    Av.check(avformat_open_input(format, file.toString(), null, null), "opening " + file.getFileName());
    try {
      Av.check(avformat_find_stream_info(format, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "reading the streams");
      int index = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, -1, (AVCodec) null, 0);
      if (index < 0) return Optional.empty();
      int video = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
      double origin = video < 0 ? 0 : start(format.streams(video));
      return Optional.of(decode(format, format.streams(index), origin, maxSeconds));
    } finally {
      avformat_close_input(format);
    }
  }

  private static Pcm decode(AVFormatContext format, AVStream stream, double origin, double maxSeconds)
      throws MediaException {
    AVCodec decoder = avcodec_find_decoder(stream.codecpar().codec_id());
    if (decoder == null || decoder.isNull()) {
      throw new MediaException(MediaException.Problem.NOT_MEDIA, "no decoder for its "
          + avcodec_get_name(stream.codecpar().codec_id()).getString() + " sound");
    }
    AVCodecContext ctx = avcodec_alloc_context3(decoder);
    AVPacket packet = av_packet_alloc();
    AVFrame frame = av_frame_alloc();
    SwrContext swr = null;
    try {
      Av.check(avcodec_parameters_to_context(ctx, stream.codecpar()), "setting up the audio decoder");
      Av.check(avcodec_open2(ctx, decoder, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "opening the audio decoder");
      int channels = Math.min(2, Math.max(1, ctx.ch_layout().nb_channels()));
      int rate = AAC_RATES.contains(ctx.sample_rate()) ? ctx.sample_rate() : 48_000;
      Sink sink = new Sink(channels, rate, (long) Math.ceil(maxSeconds * rate));
      boolean first = true;
      while (!sink.full() && av_read_frame(format, packet) >= 0) {
        if (packet.stream_index() == stream.index() && avcodec_send_packet(ctx, packet) >= 0) {
          while (!sink.full() && avcodec_receive_frame(ctx, frame) >= 0) {
            if (swr == null) swr = resampler(frame, channels, rate);
            if (first) {
              long ts = frame.best_effort_timestamp();
              double at = ts == AV_NOPTS_VALUE ? 0 : ts * av_q2d(stream.time_base());
              sink.startAt(Math.round((at - origin) * rate));
              first = false;
            }
            sink.convert(swr, frame.extended_data(), frame.nb_samples());
            av_frame_unref(frame);
          }
        }
        av_packet_unref(packet);
      }
      if (swr != null) sink.convert(swr, null, 0); // what the resampler still holds
      return sink.pcm();
    } finally {
      if (swr != null) swr_free(swr);
      av_frame_free(frame);
      av_packet_free(packet);
      avcodec_free_context(ctx);
    }
  }

  private static SwrContext resampler(AVFrame frame, int channels, int rate) {
    AVChannelLayout in = new AVChannelLayout();
    AVChannelLayout out = new AVChannelLayout();
    try {
      if (frame.ch_layout().order() == AV_CHANNEL_ORDER_UNSPEC) {
        av_channel_layout_default(in, frame.ch_layout().nb_channels());
      } else {
        Av.check(av_channel_layout_copy(in, frame.ch_layout()), "reading the channel layout");
      }
      av_channel_layout_default(out, channels);
      SwrContext swr = new SwrContext(null); // allocated by the call, as avformat's contexts are
      Av.check(swr_alloc_set_opts2(swr, out, AV_SAMPLE_FMT_FLTP, rate, in, frame.format(), frame.sample_rate(), 0,
          null), "setting up the resampler");
      Av.check(swr_init(swr), "starting the resampler");
      return swr;
    } finally {
      av_channel_layout_uninit(in);
      av_channel_layout_uninit(out);
    }
  }

  private static double start(AVStream stream) {
    long t = stream.start_time();
    return t == AV_NOPTS_VALUE ? 0 : t * av_q2d(stream.time_base());
  }

  /** Collects resampled samples into growing arrays, placed from the first frame's time on. */
  private static final class Sink {
    private final int rate;
    private final long max;
    private float[][] planes;
    private int size;
    private long skip;

    Sink(int channels, int rate, long max) {
      this.rate = rate;
      this.max = max;
      this.planes = new float[channels][rate];
    }

    /** The first decoded sample belongs at {@code sample} (before 0: that many are dropped). */
    void startAt(long sample) {
      if (sample > 0) size = (int) Math.min(sample, max);
      else skip = -sample;
    }

    boolean full() {
      return size >= max;
    }

    void convert(SwrContext swr, PointerPointer<?> in, int count) {
      int room = swr_get_out_samples(swr, count);
      if (room <= 0) return;
      FloatPointer[] bufs = new FloatPointer[planes.length];
      PointerPointer<FloatPointer> out = new PointerPointer<>(planes.length);
      for (int c = 0; c < planes.length; c++) {
        bufs[c] = new FloatPointer(room);
        out.put(c, bufs[c]);
      }
      try {
        int got = Av.check(swr_convert(swr, out, room, in, count), "resampling audio");
        int from = (int) Math.min(skip, got);
        skip -= from;
        int keep = (int) Math.min(got - from, max - size);
        if (keep <= 0) return;
        grow(size + keep);
        for (int c = 0; c < planes.length; c++) bufs[c].position(from).get(planes[c], size, keep);
        size += keep;
      } finally {
        for (FloatPointer b : bufs) b.close();
        out.close();
      }
    }

    private void grow(int need) {
      if (need <= planes[0].length) return;
      int cap = (int) Math.min(Math.max(need, planes[0].length * 2L), Math.max(need, max));
      for (int c = 0; c < planes.length; c++) planes[c] = Arrays.copyOf(planes[c], cap);
    }

    Pcm pcm() {
      float[][] exact = new float[planes.length][];
      for (int c = 0; c < planes.length; c++) exact[c] = Arrays.copyOf(planes[c], size);
      return new Pcm(rate, exact);
    }
  }
}
