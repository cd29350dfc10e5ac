package dev.skillhost.local.codec;

import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

import dev.skillhost.local.media.RgbImage;
import dev.skillhost.local.media.Yuv420;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;

/**
 * Converts decoded frames (any pixel format and size) to this plugin's pictures with swscale: to
 * limited-range 4:2:0 at the output size, or to RGBA at the source size for stills. Remade when the
 * source's size or format changes mid-stream.
 */
final class Scaler implements AutoCloseable {

  private final int outWidth;
  private final int outHeight;
  private final int outFormat;
  private final AVFrame out;
  private SwsContext sws;
  private int srcWidth = -1;
  private int srcHeight = -1;
  private int srcFormat = -1;

  Scaler(int outWidth, int outHeight, int outFormat) {
    this.outWidth = outWidth;
    this.outHeight = outHeight;
    this.outFormat = outFormat;
    out = av_frame_alloc();
    out.format(outFormat).width(outWidth).height(outHeight);
    Av.check(av_frame_get_buffer(out, 0), "allocating a frame");
  }

  static Scaler yuv(int width, int height) {
    return new Scaler(width, height, AV_PIX_FMT_YUV420P);
  }

  static Scaler rgba(int width, int height) {
    return new Scaler(width, height, AV_PIX_FMT_BGRA);
  }

  void toYuv(AVFrame src, Yuv420 dst) {
    scale(src);
    read(out.data(0), out.linesize(0), dst.y, outWidth, outHeight);
    read(out.data(1), out.linesize(1), dst.u, outWidth / 2, outHeight / 2);
    read(out.data(2), out.linesize(2), dst.v, outWidth / 2, outHeight / 2);
  }

  RgbImage toRgb(AVFrame src) {
    scale(src);
    byte[] bytes = new byte[outWidth * outHeight * 4];
    read(out.data(0), out.linesize(0), bytes, outWidth * 4, outHeight);
    int[] px = new int[outWidth * outHeight];
    // BGRA bytes read little-endian are 0xAARRGGBB ints
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(px);
    boolean alpha = false;
    for (int p : px) {
      if (p >>> 24 != 0xFF) {
        alpha = true;
        break;
      }
    }
    return new RgbImage(outWidth, outHeight, px, alpha);
  }

  private void scale(AVFrame src) {
    if (sws == null || src.width() != srcWidth || src.height() != srcHeight || src.format() != srcFormat) {
      if (sws != null) sws_freeContext(sws);
      srcWidth = src.width();
      srcHeight = src.height();
      srcFormat = src.format();
      sws = sws_getContext(srcWidth, srcHeight, srcFormat, outWidth, outHeight, outFormat,
          SWS_BICUBIC | SWS_ACCURATE_RND, null, null, (double[]) null);
      if (sws == null || sws.isNull()) {
        throw new IllegalStateException("swscale cannot convert pixel format " + srcFormat);
      }
      if (src.color_range() == AVCOL_RANGE_JPEG && outFormat == AV_PIX_FMT_YUV420P) {
        // full-range input that its pixel format does not say (yuv420p tagged "pc"): tell swscale
        sws_setColorspaceDetails(sws, sws_getCoefficients(SWS_CS_DEFAULT), 1,
            sws_getCoefficients(SWS_CS_DEFAULT), 0, 0, 1 << 16, 1 << 16);
      }
    }
    Av.check(av_frame_make_writable(out), "making a frame writable");
    Av.check(sws_scale(sws, src.data(), src.linesize(), 0, srcHeight, out.data(), out.linesize()), "scaling a frame");
  }

  private static void read(BytePointer src, int stride, byte[] dst, int rowBytes, int rows) {
    if (stride == rowBytes) {
      src.position(0).get(dst, 0, rowBytes * rows);
      return;
    }
    for (int row = 0; row < rows; row++) {
      src.position((long) row * stride).get(dst, row * rowBytes, rowBytes);
    }
    src.position(0);
  }

  @Override
  public void close() {
    if (sws != null) sws_freeContext(sws);
    av_frame_free(out);
  }
}
