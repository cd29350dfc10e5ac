package dev.skillhost.host.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One tiny byte array per signature: the type comes from magic bytes, never from a name. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SnifferTest {

  static Stream<Arguments> signatures() {
    return Stream.of(
        of("png", "image/png", 0x89, "PNG", 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, "IHDR"),
        of("jpeg", "image/jpeg", 0xFF, 0xD8, 0xFF, 0xE0, 0, 16, "JFIF"),
        of("gif87a", "image/gif", "GIF87a", 1, 0, 1, 0),
        of("gif89a", "image/gif", "GIF89a", 1, 0, 1, 0),
        of("webp", "image/webp", "RIFF", 36, 0, 0, 0, "WEBPVP8 "),
        of("bmp", "image/bmp", "BM", 70, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0),
        of("tiff little-endian", "image/tiff", "II", 42, 0, 8, 0, 0, 0),
        of("tiff big-endian", "image/tiff", "MM", 0, 42, 0, 0, 0, 8),
        of("heic", "image/heic", 0, 0, 0, 24, "ftypheic", 0, 0, 0, 0, "mif1heic"),
        of("heif (mif1 only)", "image/heif", 0, 0, 0, 24, "ftypmif1", 0, 0, 0, 0, "mif1miaf"),
        of("heic sequence", "image/heic-sequence", 0, 0, 0, 20, "ftyphevc", 0, 0, 0, 0, "msf1"),
        of("avif", "image/avif", 0, 0, 0, 28, "ftypavif", 0, 0, 0, 0, "avifmif1miaf"),
        of("avif behind mif1", "image/avif", 0, 0, 0, 24, "ftypmif1", 0, 0, 0, 0, "mif1avif"),
        of("mp4 isom", "video/mp4", 0, 0, 0, 32, "ftypisom", 0, 0, 2, 0, "isomiso2avc1mp41"),
        of("mp4 mp42", "video/mp4", 0, 0, 0, 24, "ftypmp42", 0, 0, 0, 0, "mp42isom"),
        of("m4v", "video/mp4", 0, 0, 0, 28, "ftypM4V ", 0, 0, 0, 1, "M4V M4A mp42"),
        of("m4a", "audio/mp4", 0, 0, 0, 28, "ftypM4A ", 0, 0, 0, 0, "M4A mp42isom"),
        of("mov", "video/quicktime", 0, 0, 0, 20, "ftypqt  ", 0, 0, 2, 0, "qt  "),
        of("mov without ftyp", "video/quicktime", 0, 0, 0, 8, "wide", 0, 0, 0, 0, "mdat"),
        of("3gp", "video/3gpp", 0, 0, 0, 20, "ftyp3gp4", 0, 0, 0, 0, "3gp4"),
        of("webm", "video/webm", 0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 1, 0x42, 0xF7, 0x81, 1,
            0x42, 0x82, 0x84, "webm", 0x42, 0x87, 0x81, 4),
        of("matroska", "video/x-matroska", 0x1A, 0x45, 0xDF, 0xA3, 0xA3, 0x42, 0x86, 0x81, 1,
            0x42, 0x82, 0x88, "matroska", 0x42, 0x87, 0x81, 4),
        of("webm doctype with a wide size", "video/webm", 0x1A, 0x45, 0xDF, 0xA3, 0x93, 0x42, 0x82, 0x10, 0, 0, 4, "webm"),
        of("avi", "video/x-msvideo", "RIFF", 0, 1, 0, 0, "AVI LIST"),
        of("wav", "audio/wav", "RIFF", 36, 0, 0, 0, "WAVEfmt "),
        of("mp3 with ID3", "audio/mpeg", "ID3", 4, 0, 0, 0, 0, 0, 0),
        of("mp3 frame", "audio/mpeg", 0xFF, 0xFB, 0x90, 0x64),
        of("mp3 frame, MPEG-2.5", "audio/mpeg", 0xFF, 0xE3, 0x18, 0xC4),
        of("aac adts mpeg-4", "audio/aac", 0xFF, 0xF1, 0x50, 0x80),
        of("aac adts mpeg-2", "audio/aac", 0xFF, 0xF9, 0x50, 0x80),
        of("ogg vorbis", "audio/ogg", "OggS", 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, "vorbis"),
        of("ogg theora", "video/ogg", "OggS", 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, "theora"),
        of("flac", "audio/flac", "fLaC", 0, 0, 0, 34),
        of("aiff", "audio/aiff", "FORM", 0, 0, 0, 4, "AIFFCOMM"),
        of("flv", "video/x-flv", "FLV", 1, 5, 0, 0, 0, 9),
        of("pdf", "application/pdf", "%PDF-1.7\n"),
        of("zip", "application/zip", "PK", 3, 4, 20, 0),
        of("gzip", "application/gzip", 0x1F, 0x8B, 8, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("signatures")
  void recognises_signature(String name, String expected, byte[] bytes) {
    assertThat(Sniffer.magic(bytes, bytes.length)).isEqualTo(expected);
    assertThat(Sniffer.detect(bytes, bytes.length)).isEqualTo(expected);
  }

  static Stream<Arguments> unknown() {
    return Stream.of(
        of("empty", null),
        of("png cut short", null, 0x89, "PN"),
        of("riff of another kind", null, "RIFF", 0, 0, 0, 0, "CDXA"),
        of("ftyp with unknown brands", null, 0, 0, 0, 20, "ftypcrx ", 0, 0, 0, 1, "crx "),
        of("BM without a DIB header", null, "BM", 1, 2, 3),
        of("0xFF frame with a bad bitrate", null, 0xFF, 0xFF, 0xFF, 0xFF),
        of("binary noise", null, 0x00, 0x13, 0x37, 0x42, 0x01));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unknown")
  void finds_nothing_in_unknown_bytes(String name, String expected, byte[] bytes) {
    assertThat(Sniffer.magic(bytes, bytes.length)).isNull();
    assertThat(Sniffer.detect(bytes, bytes.length)).isIn("text/plain", Sniffer.OCTET_STREAM);
  }

  @Test
  void calls_text_text_and_binary_octet_stream() {
    byte[] text = "BMW and friends, all here\n".getBytes(StandardCharsets.UTF_8);
    assertThat(Sniffer.detect(text, text.length)).isEqualTo("text/plain");
    byte[] chinese = "视频生成".getBytes(StandardCharsets.UTF_8);
    assertThat(Sniffer.detect(chinese, chinese.length - 1)).as("a character cut by the head").isEqualTo("text/plain");
    byte[] binary = {0x00, 0x13, 0x37, 0x42};
    assertThat(Sniffer.detect(binary, binary.length)).isEqualTo(Sniffer.OCTET_STREAM);
    byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9, ' ', 'x'};
    assertThat(Sniffer.detect(latin1, latin1.length)).isEqualTo(Sniffer.OCTET_STREAM);
  }

  @Test
  void reads_only_the_length_it_is_given() {
    byte[] png = bytes(0x89, "PNG", 0x0D, 0x0A, 0x1A, 0x0A);
    assertThat(Sniffer.magic(png, 4)).isNull();
    assertThat(Sniffer.magic(png, 8)).isEqualTo("image/png");
  }

  private static Arguments of(String name, String expected, Object... parts) {
    return Arguments.of(name, expected, bytes(parts));
  }

  /** Ints are bytes, strings are ASCII. */
  static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof Integer i) {
        out.write(i);
      } else {
        out.writeBytes(((String) p).getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    return out.toByteArray();
  }
}
