package dev.skillhost.chatart;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * Duration and frame height of an MP4/MOV, read from its {@code moov} box ({@code mvhd},
 * {@code tkhd} of the video track). Extend takes its quality from the input's height and character
 * replace is priced and sent by the input's whole seconds, as the official client reads them with
 * pymediainfo. Only box headers are read, wherever {@code moov} sits in the file.
 *
 * @param durationMs whole-file duration
 * @param height     video track height in pixels, 0 if no video track
 */
record Mp4Info(long durationMs, int height) {

  static Mp4Info read(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long[] moov = find(f, 0, f.length(), "moov");
      if (moov == null) {
        throw new IOException("no moov box: not an MP4/MOV file");
      }
      long durationMs = 0;
      long[] mvhd = find(f, moov[0], moov[1], "mvhd");
      if (mvhd != null) {
        f.seek(mvhd[0]);
        int version = f.readUnsignedByte();
        f.skipBytes(3);
        long timescale;
        long duration;
        if (version == 1) {
          f.skipBytes(16);
          timescale = f.readInt() & 0xffffffffL;
          duration = f.readLong();
        } else {
          f.skipBytes(8);
          timescale = f.readInt() & 0xffffffffL;
          duration = f.readInt() & 0xffffffffL;
        }
        durationMs = timescale == 0 ? 0 : duration * 1000 / timescale;
      }
      int height = 0;
      long pos = moov[0];
      long[] trak;
      while ((trak = find(f, pos, moov[1], "trak")) != null) {
        long[] mdia = find(f, trak[0], trak[1], "mdia");
        long[] hdlr = mdia == null ? null : find(f, mdia[0], mdia[1], "hdlr");
        if (hdlr != null && "vide".equals(fourcc(f, hdlr[0] + 8))) {
          long[] tkhd = find(f, trak[0], trak[1], "tkhd");
          if (tkhd != null) {
            f.seek(tkhd[1] - 4); // width and height, 16.16 fixed point, end the box
            height = f.readInt() >>> 16;
          }
          break;
        }
        pos = trak[1];
      }
      return new Mp4Info(durationMs, height);
    }
  }

  /** The first box of {@code type} in [from, to): its content start and its end, or null. */
  private static long[] find(RandomAccessFile f, long from, long to, String type) throws IOException {
    long pos = from;
    while (pos + 8 <= to) {
      f.seek(pos);
      long size = f.readInt() & 0xffffffffL;
      String t = fourcc(f, pos + 4);
      long header = 8;
      if (size == 1) {
        f.seek(pos + 8);
        size = f.readLong();
        header = 16;
      } else if (size == 0) {
        size = to - pos;
      }
      if (size < header) {
        return null;
      }
      if (t.equals(type)) {
        return new long[] {pos + header, Math.min(pos + size, to)};
      }
      pos += size;
    }
    return null;
  }

  private static String fourcc(RandomAccessFile f, long at) throws IOException {
    byte[] b = new byte[4];
    f.seek(at);
    f.readFully(b);
    return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
