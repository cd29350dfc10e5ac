package dev.skillhost.local;

import dev.skillhost.local.media.Yuv420;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Decoded frames kept in a scratch file rather than the heap, so a boomerang of a long clip needs
 * disk, not gigabytes of memory. Appends from one thread; reads by index from any thread.
 */
final class FrameStore implements AutoCloseable {

  private final FileChannel channel;
  private final int width;
  private final int height;
  private final int frameBytes;
  private int count;

  FrameStore(Path file, int width, int height) {
    try {
      this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.width = width;
    this.height = height;
    this.frameBytes = width * height * 3 / 2;
  }

  void append(Yuv420 frame) {
    ByteBuffer buf = ByteBuffer.allocate(frameBytes);
    buf.put(frame.y).put(frame.u).put(frame.v).flip();
    write(buf, (long) count * frameBytes);
    count++;
  }

  void read(int index, Yuv420 into) {
    if (index < 0 || index >= count) throw new IndexOutOfBoundsException(index + " of " + count);
    ByteBuffer buf = ByteBuffer.allocate(frameBytes);
    try {
      long at = (long) index * frameBytes;
      while (buf.hasRemaining()) {
        if (channel.read(buf, at + buf.position()) < 0) throw new IOException("frame store cut short");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    buf.flip();
    buf.get(into.y).get(into.u).get(into.v);
  }

  int count() {
    return count;
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  private void write(ByteBuffer buf, long at) {
    try {
      while (buf.hasRemaining()) {
        channel.write(buf, at + buf.position());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
