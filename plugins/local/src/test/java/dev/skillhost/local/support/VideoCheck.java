package dev.skillhost.local.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Facts about an MP4, read by Debian's ffprobe and ffmpeg and from the file's own boxes. */
public final class VideoCheck {

  private final Path file;
  private final JsonObject stream;

  private VideoCheck(Path file, JsonObject stream) {
    this.file = file;
    this.stream = stream;
  }

  /** Probes the first video stream, counting its frames by decoding them. */
  public static VideoCheck of(Path file) {
    byte[] json = Tools.run("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
        "-show_entries", "stream=codec_name,profile,pix_fmt,width,height,nb_read_frames,duration,avg_frame_rate,"
            + "color_space,color_range", "-of", "json", file.toString());
    JsonObject stream = new JsonObject(new String(json, StandardCharsets.UTF_8)).getJsonArray("streams").getJsonObject(0);
    return new VideoCheck(file, stream);
  }

  public String codec() {
    return stream.getString("codec_name");
  }

  public String pixFmt() {
    return stream.getString("pix_fmt");
  }

  public int width() {
    return stream.getInteger("width");
  }

  public int height() {
    return stream.getInteger("height");
  }

  public int frames() {
    return Integer.parseInt(stream.getString("nb_read_frames"));
  }

  public double seconds() {
    return Double.parseDouble(stream.getString("duration"));
  }

  /** Asserts what every video of this plugin must be: H.264, yuv420p, the size, frames, length, faststart. */
  public VideoCheck assertPlayable(int width, int height, int frames, double seconds) {
    assertThat(codec()).as("codec").isEqualTo("h264");
    assertThat(pixFmt()).as("pixel format").isEqualTo("yuv420p");
    assertThat(width()).as("width").isEqualTo(width);
    assertThat(height()).as("height").isEqualTo(height);
    assertThat(frames()).as("decoded frames").isEqualTo(frames);
    assertThat(seconds()).as("duration").isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.05));
    assertThat(topLevelBoxes(file)).as("top-level MP4 boxes").containsSubsequence("ftyp", "moov", "mdat");
    return this;
  }

  /** The frame at {@code index}, decoded to RGB by Debian's ffmpeg. */
  public Rgb frame(int index) {
    byte[] raw = Tools.run("ffmpeg", "-v", "error", "-i", file.toString(), "-vf", "select=eq(n\\," + index + ")",
        "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
    return Rgb.fromRgb24(width(), height(), raw);
  }

  /** Names of the top-level boxes in file order ({@code ftyp}, {@code moov}, {@code mdat}, …). */
  public static List<String> topLevelBoxes(Path file) {
    List<String> names = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(file)) {
      long at = 0;
      long size = ch.size();
      ByteBuffer head = ByteBuffer.allocate(16);
      while (at + 8 <= size) {
        head.clear();
        ch.read(head, at);
        head.flip();
        long box = Integer.toUnsignedLong(head.getInt());
        byte[] type = new byte[4];
        head.get(type);
        if (box == 1) box = head.getLong();
        if (box == 0) box = size - at;
        names.add(new String(type, StandardCharsets.ISO_8859_1));
        if (box < 8) break;
        at += box;
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return names;
  }
}
