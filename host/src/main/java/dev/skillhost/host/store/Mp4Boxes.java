package dev.skillhost.host.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Just enough of ISO BMFF (MP4, MOV, 3GP) to tell a video's duration and picture size without
 * decoding it: {@code moov/mvhd} gives the timescale and duration, the first {@code moov/trak/tkhd}
 * with a non-zero size gives width and height. Reads box headers and those few boxes only, so a
 * large file costs a few small reads wherever its {@code moov} is.
 */
final class Mp4Boxes {

  /** Duration in milliseconds (or -1) and picture size (or 0 × 0). */
  record Facts(long durationMs, int width, int height) {}

  private static final int MAX_DEPTH = 4;
  private static final int MAX_BOXES = 10_000;

  private final FileChannel ch;
  private long durationMs = -1;
  private int width;
  private int height;
  private int boxes;

  private Mp4Boxes(FileChannel ch) {
    this.ch = ch;
  }

  /** The facts of {@code file}, or null when it has no readable {@code moov} box. Blocking. */
  static Facts read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Mp4Boxes reader = new Mp4Boxes(ch);
      reader.walk(0, ch.size(), 0);
      return reader.durationMs < 0 && reader.width == 0 ? null : new Facts(reader.durationMs, reader.width, reader.height);
    }
  }

  private void walk(long from, long to, int depth) throws IOException {
    long at = from;
    while (at + 8 <= to && ++boxes < MAX_BOXES) {
      ByteBuffer head = bytes(at, 16);
      if (head.remaining() < 8) {
        return;
      }
      long size = head.getInt(0) & 0xFFFFFFFFL;
      String type = new String(head.array(), 4, 4, StandardCharsets.ISO_8859_1);
      int headerSize = 8;
      if (size == 1) { // 64-bit size follows the type
        if (head.remaining() < 16) {
          return;
        }
        size = head.getLong(8);
        headerSize = 16;
      } else if (size == 0) { // the box runs to the end of its parent
        size = to - at;
      }
      if (size < headerSize || at + size > to) {
        return; // a broken box: trust nothing after it
      }
      long body = at + headerSize;
      long end = at + size;
      switch (type) {
        case "moov", "trak" -> {
          if (depth < MAX_DEPTH) {
            walk(body, end, depth + 1);
          }
        }
        case "mvhd" -> mvhd(bytes(body, (int) Math.min(end - body, 32)));
        case "tkhd" -> tkhd(bytes(body, (int) Math.min(end - body, 96)));
        default -> { }
      }
      at = end;
    }
  }

  private void mvhd(ByteBuffer b) {
    int version = b.get(0);
    // v0: version/flags 4, created 4, modified 4, timescale 4, duration 4; v1: times and duration 8 bytes
    int need = version == 1 ? 32 : 20;
    if (b.remaining() < need) {
      return;
    }
    long timescale = b.getInt(version == 1 ? 20 : 12) & 0xFFFFFFFFL;
    long duration = version == 1 ? b.getLong(24) : b.getInt(16) & 0xFFFFFFFFL;
    if (timescale > 0 && duration >= 0 && duration != 0xFFFFFFFFL) {
      durationMs = duration * 1000 / timescale;
    }
  }

  private void tkhd(ByteBuffer b) {
    int version = b.get(0);
    // fields before the matrix: 4 + (v1 ? 8+8+4+4+8 : 4+4+4+4+4) + 8 reserved + 8 (layer, group, volume, reserved) + 36 matrix
    int sizeAt = 4 + (version == 1 ? 32 : 20) + 8 + 8 + 36;
    if (b.remaining() < sizeAt + 8 || width > 0) {
      return;
    }
    int w = b.getInt(sizeAt) >>> 16; // 16.16 fixed point
    int h = b.getInt(sizeAt + 4) >>> 16;
    if (w > 0 && h > 0) {
      width = w;
      height = h;
    }
  }

  private ByteBuffer bytes(long at, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(Math.max(0, n));
    while (b.hasRemaining() && ch.read(b, at + b.position()) > 0) {
      // read on
    }
    b.flip();
    return ByteBuffer.wrap(b.array(), 0, b.limit()).slice();
  }
}
