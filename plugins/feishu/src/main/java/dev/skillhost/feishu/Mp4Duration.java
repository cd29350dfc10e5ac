package dev.skillhost.feishu;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * An MP4's duration from its {@code moov/mvhd} box, for the {@code duration} field Feishu wants
 * with an mp4 upload (without it the chat shows no length). Used only when the host's probe left
 * no {@code duration_ms}. Reads box headers only, wherever {@code moov} sits. Blocking: call it
 * from a worker.
 */
final class Mp4Duration {

  private Mp4Duration() {}

  /** Milliseconds, or null when the file has no readable {@code mvhd}. */
  static Integer millis(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long[] moov = box(f, 0, f.length(), "moov");
      long[] mvhd = moov == null ? null : box(f, moov[0], moov[1], "mvhd");
      if (mvhd == null) {
        return null;
      }
      f.seek(mvhd[0]);
      int version = f.readUnsignedByte();
      f.skipBytes(3 + (version == 1 ? 16 : 8));
      long timescale = f.readInt() & 0xffffffffL;
      long duration = version == 1 ? f.readLong() : f.readInt() & 0xffffffffL;
      if (timescale == 0 || duration < 0) {
        return null;
      }
      long ms = duration * 1000 / timescale;
      return ms > Integer.MAX_VALUE ? null : (int) ms;
    }
  }

  /** The first box of {@code type} in [from, to): its content start and end, or null. */
  private static long[] box(RandomAccessFile f, long from, long to, String type) throws IOException {
    long pos = from;
    while (pos + 8 <= to) {
      f.seek(pos);
      long size = f.readInt() & 0xffffffffL;
      byte[] t = new byte[4];
      f.readFully(t);
      long header = 8;
      if (size == 1) {
        size = f.readLong();
        header = 16;
      } else if (size == 0) {
        size = to - pos;
      }
      if (size < header) {
        return null;
      }
      if (type.equals(new String(t, StandardCharsets.ISO_8859_1))) {
        return new long[] {pos + header, Math.min(pos + size, to)};
      }
      pos += size;
    }
    return null;
  }
}
