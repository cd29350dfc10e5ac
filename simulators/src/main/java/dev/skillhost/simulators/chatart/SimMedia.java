package dev.skillhost.simulators.chatart;

import io.vertx.core.buffer.Buffer;
import java.util.Base64;

/** Small real files for results: a 1×1 PNG and an MP4 header (ftyp + moov with a 2 s mvhd). */
final class SimMedia {

  private static final byte[] PNG = Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

  private SimMedia() {}

  static Buffer png() {
    return Buffer.buffer(PNG);
  }

  static Buffer mp4() {
    Buffer ftyp = Buffer.buffer().appendInt(24).appendString("ftyp").appendString("isom").appendInt(512)
        .appendString("isom").appendString("mp41");
    Buffer mvhd = Buffer.buffer().appendInt(8 + 100).appendString("mvhd").appendInt(0).appendInt(0).appendInt(0)
        .appendInt(1000).appendInt(2000).appendBytes(new byte[80]);
    Buffer moov = Buffer.buffer().appendInt(8 + mvhd.length()).appendString("moov").appendBuffer(mvhd);
    return ftyp.appendBuffer(moov);
  }
}
