package dev.skillhost.local.codec;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.FloatPointer;

/**
 * An AAC-LC track (FFmpeg's own encoder) in a muxer, fed from a {@link PcmSource} as the video
 * packets beside it are written, so the two stay interleaved. Made before the muxer's header is
 * written; {@link #writeUntil} and {@link #finish} after.
 */
final class AacTrack implements AutoCloseable {

  private final AVFormatContext format;
  private final PcmSource pcm;
  private final AVCodecContext codec;
  private final AVStream stream;
  private final AVFrame frame;
  private final AVPacket packet;
  private final float[][] planes;
  private long next;
  private boolean finished;

  AacTrack(AVFormatContext format, PcmSource pcm) {
    this.format = format;
    this.pcm = pcm;
    AVCodec aac = avcodec_find_encoder(AV_CODEC_ID_AAC);
    if (aac == null || aac.isNull()) throw new IllegalStateException("this FFmpeg build has no AAC encoder");
    stream = avformat_new_stream(format, null);
    codec = avcodec_alloc_context3(aac);
    codec.sample_fmt(AV_SAMPLE_FMT_FLTP).sample_rate(pcm.sampleRate())
        .bit_rate(pcm.channels() == 1 ? 96_000 : 160_000).time_base(av_make_q(1, pcm.sampleRate()));
    av_channel_layout_default(codec.ch_layout(), pcm.channels());
    if ((format.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
      codec.flags(codec.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
    }
    Av.check(avcodec_open2(codec, aac, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "opening the AAC encoder");
    Av.check(avcodec_parameters_from_context(stream.codecpar(), codec), "copying codec parameters");
    stream.time_base(codec.time_base());
    frame = av_frame_alloc();
    frame.format(AV_SAMPLE_FMT_FLTP).nb_samples(codec.frame_size()).sample_rate(pcm.sampleRate());
    Av.check(av_channel_layout_copy(frame.ch_layout(), codec.ch_layout()), "setting the channel layout");
    Av.check(av_frame_get_buffer(frame, 0), "allocating an audio frame");
    packet = av_packet_alloc();
    planes = new float[pcm.channels()][codec.frame_size()];
  }

  /** Encodes and writes the audio that starts before {@code seconds}. */
  void writeUntil(double seconds) {
    long until = Math.min(pcm.samples(), (long) Math.ceil(seconds * pcm.sampleRate()));
    while (next < until) encodeNext();
  }

  /** Writes the rest and flushes the encoder. */
  void finish() {
    if (finished) return;
    while (next < pcm.samples()) encodeNext();
    Av.check(avcodec_send_frame(codec, null), "flushing the AAC encoder");
    drain();
    finished = true;
  }

  private void encodeNext() {
    int count = (int) Math.min(codec.frame_size(), pcm.samples() - next);
    pcm.fill(next, planes, count);
    Av.check(av_frame_make_writable(frame), "making an audio frame writable");
    frame.nb_samples(count);
    for (int c = 0; c < planes.length; c++) {
      new FloatPointer(frame.data(c)).put(planes[c], 0, count);
    }
    frame.pts(next);
    next += count;
    Av.check(avcodec_send_frame(codec, frame), "encoding audio");
    drain();
  }

  private void drain() {
    while (true) {
      int r = avcodec_receive_packet(codec, packet);
      if (r == Av.EAGAIN || r == AVERROR_EOF) return;
      Av.check(r, "encoding audio");
      av_packet_rescale_ts(packet, codec.time_base(), stream.time_base());
      packet.stream_index(stream.index());
      Av.check(av_interleaved_write_frame(format, packet), "writing an audio packet");
    }
  }

  @Override
  public void close() {
    av_packet_free(packet);
    av_frame_free(frame);
    avcodec_free_context(codec);
  }
}
