package dev.skillhost.local.codec;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Joins H.264 MP4 segments (from {@link Mp4Writer}, each starting on a key frame, all with the same
 * encoder settings) into one faststart MP4 by copying their packets, never re-encoding them, with an
 * optional AAC track encoded beside them. And {@link #probe} checks a segment before it is reused.
 */
public final class Mp4Join {

  /**
   * What a segment holds, read from its index and packets.
   *
   * @param packets   video packets (one per frame)
   * @param extradata the H.264 parameter sets; segments are joined only when theirs are equal
   */
  public record Probe(int packets, int width, int height, byte[] extradata) {

    public boolean sameStream(Probe other) {
      return width == other.width && height == other.height && Arrays.equals(extradata, other.extradata);
    }
  }

  private Mp4Join() {}

  /**
   * Opens a segment and reads every packet. Fails when the file does not open (a file cut off
   * before its index, which {@link Mp4Writer} writes last), holds no H.264 stream, or a read fails
   * before the end; an empty packet counts as damage too.
   */
  public static Probe probe(Path file) {
    AVFormatContext in = open(file);
    AVPacket packet = av_packet_alloc();
    try {
      if (in.nb_streams() != 1) throw new IllegalStateException(file.getFileName() + " has " + in.nb_streams() + " streams");
      AVCodecParameters par = in.streams(0).codecpar();
      if (par.codec_id() != AV_CODEC_ID_H264) throw new IllegalStateException(file.getFileName() + " is not H.264");
      int packets = 0;
      int r;
      while ((r = av_read_frame(in, packet)) >= 0) {
        boolean empty = packet.size() <= 0;
        av_packet_unref(packet);
        if (empty) throw new IllegalStateException(file.getFileName() + " has an empty packet");
        packets++;
      }
      if (r != AVERROR_EOF) Av.check(r, "reading " + file.getFileName());
      return new Probe(packets, par.width(), par.height(), extradata(par));
    } finally {
      av_packet_free(packet);
      avformat_close_input(in);
    }
  }

  /** Writes {@code segments}, in order, to {@code out}, with {@code audio} as an AAC track if not null. */
  public static void join(List<Path> segments, Path out, PcmSource audio) {
    if (segments.isEmpty()) throw new IllegalArgumentException("nothing to join");
    Natives.load();
    AVFormatContext format = new AVFormatContext(null);
    Av.check(avformat_alloc_output_context2(format, null, "mp4", out.toString()), "creating the MP4 muxer");
    AVPacket packet = av_packet_alloc();
    AacTrack aac = null;
    try {
      AVStream video = avformat_new_stream(format, null);
      byte[] params;
      AVFormatContext first = open(segments.get(0));
      try {
        AVStream s = first.streams(0);
        Av.check(avcodec_parameters_copy(video.codecpar(), s.codecpar()), "copying codec parameters");
        video.codecpar().codec_tag(0);
        video.time_base(s.time_base());
        params = extradata(s.codecpar());
      } finally {
        avformat_close_input(first);
      }
      if (audio != null) aac = new AacTrack(format, audio);
      AVIOContext io = new AVIOContext(null);
      Av.check(avio_open(io, out.toString(), AVIO_FLAG_WRITE), "opening " + out.getFileName());
      format.pb(io);
      AVDictionary muxing = new AVDictionary(null);
      av_dict_set(muxing, "movflags", "+faststart", 0);
      try {
        Av.check(avformat_write_header(format, muxing), "writing the MP4 header");
      } finally {
        av_dict_free(muxing);
      }
      long start = 0; // where the next segment begins, in the output stream's time base
      for (Path segment : segments) {
        start = copy(segment, params, format, video, packet, start, aac);
      }
      if (aac != null) aac.finish();
      Av.check(av_write_trailer(format), "finishing the MP4");
    } finally {
      if (aac != null) aac.close();
      av_packet_free(packet);
      if (format.pb() != null && !format.pb().isNull()) avio_closep(format.pb());
      avformat_free_context(format);
    }
  }

  /** Copies one segment's packets, shifted to begin at {@code start}; answers where it ends. */
  private static long copy(Path segment, byte[] params, AVFormatContext format, AVStream video, AVPacket packet,
      long start, AacTrack aac) {
    AVFormatContext in = open(segment);
    try {
      AVStream s = in.streams(0);
      if (!Arrays.equals(params, extradata(s.codecpar()))) {
        throw new IllegalStateException(segment.getFileName() + " was encoded with other parameters");
      }
      AVRational from = s.time_base();
      AVRational to = video.time_base();
      long origin = Long.MIN_VALUE;
      long end = start;
      int r;
      while ((r = av_read_frame(in, packet)) >= 0) {
        av_packet_rescale_ts(packet, from, to);
        if (origin == Long.MIN_VALUE) origin = packet.pts(); // the key frame that opens the segment
        long shift = start - origin;
        packet.pts(packet.pts() + shift).dts(packet.dts() + shift);
        end = Math.max(end, packet.pts() + Math.max(1, packet.duration()));
        packet.stream_index(video.index()).pos(-1);
        if (aac != null) aac.writeUntil(packet.dts() * av_q2d(to));
        Av.check(av_interleaved_write_frame(format, packet), "writing a packet");
      }
      if (r != AVERROR_EOF) Av.check(r, "reading " + segment.getFileName());
      return end;
    } finally {
      avformat_close_input(in);
    }
  }

  private static AVFormatContext open(Path file) {
    Natives.load();
    AVFormatContext in = new AVFormatContext(null);
    Av.check(avformat_open_input(in, file.toString(), null, null), "opening " + file.getFileName());
    return in;
  }

  private static byte[] extradata(AVCodecParameters par) {
    byte[] b = new byte[Math.max(0, par.extradata_size())];
    if (b.length > 0) par.extradata().position(0).get(b);
    return b;
  }
}
