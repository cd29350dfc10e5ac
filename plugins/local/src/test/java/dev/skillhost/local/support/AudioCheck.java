package dev.skillhost.local.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A file's sound, read by Debian's ffprobe and decoded by Debian's ffmpeg (its first channel, 32-bit float). */
public final class AudioCheck {

  private final JsonObject stream;
  private final float[] samples;
  private final int rate;

  private AudioCheck(JsonObject stream, float[] samples, int rate) {
    this.stream = stream;
    this.samples = samples;
    this.rate = rate;
  }

  /** The audio streams in a file. */
  public static JsonArray streams(Path file) {
    byte[] json = Tools.run("ffprobe", "-v", "error", "-select_streams", "a", "-show_entries",
        "stream=codec_name,sample_rate,channels,duration", "-of", "json", file.toString());
    return new JsonObject(new String(json, StandardCharsets.UTF_8)).getJsonArray("streams", new JsonArray());
  }

  /** The first audio stream, decoded. */
  public static AudioCheck of(Path file) {
    JsonArray streams = streams(file);
    if (streams.isEmpty()) throw new AssertionError(file.getFileName() + " has no audio stream");
    JsonObject stream = streams.getJsonObject(0);
    int rate = Integer.parseInt(stream.getString("sample_rate"));
    byte[] raw = Tools.run("ffmpeg", "-v", "error", "-i", file.toString(), "-map", "0:a:0", "-af", "pan=mono|c0=c0",
        "-f", "f32le", "-");
    ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    float[] samples = new float[raw.length / 4];
    buf.asFloatBuffer().get(samples);
    return new AudioCheck(stream, samples, rate);
  }

  public String codec() {
    return stream.getString("codec_name");
  }

  public int channels() {
    return stream.getInteger("channels");
  }

  public int sampleRate() {
    return rate;
  }

  /** The stream's duration as ffprobe reads it from the container. */
  public double seconds() {
    return Double.parseDouble(stream.getString("duration"));
  }

  /** How long the decoded sound lasts. */
  public double decodedSeconds() {
    return samples.length / (double) rate;
  }

  /** Root mean square of the samples from {@code from} to {@code to} seconds. */
  public double rms(double from, double to) {
    int a = (int) Math.round(from * rate);
    int b = Math.min(samples.length, (int) Math.round(to * rate));
    double sum = 0;
    for (int i = a; i < b; i++) sum += samples[i] * (double) samples[i];
    return Math.sqrt(sum / Math.max(1, b - a));
  }
}
