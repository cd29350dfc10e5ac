package dev.skillhost.host.store;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Content type from the first bytes of a file, by magic numbers only: what a client or a
 * provider claims is never trusted for media, and file names play no part.
 */
final class Sniffer {

  /** How many leading bytes to read; room for long ftyp brand lists and an EBML header. */
  static final int HEAD = 4096;
  static final String OCTET_STREAM = "application/octet-stream";

  private static final Set<String> HEIC = Set.of("heic", "heix", "heim", "heis");
  private static final Set<String> HEIC_SEQUENCE = Set.of("hevc", "hevx", "hevm", "hevs");
  private static final Set<String> MP4 = Set.of("isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso8", "iso9",
      "mp41", "mp42", "avc1", "av01", "dash", "mmp4", "msnv", "ndas", "ndsc", "ndsh", "f4v ", "m4v ", "m4vh", "m4vp");
  private static final Set<String> M4A = Set.of("m4a ", "m4b ", "m4p ", "f4a ", "f4b ");

  private Sniffer() {}

  /** The media or well-known type the bytes start with, or null if no signature matches. */
  static String magic(byte[] b, int len) {
    if (starts(b, len, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return "image/png";
    if (starts(b, len, 0, 0xFF, 0xD8, 0xFF)) return "image/jpeg";
    if (ascii(b, len, 0, "GIF87a") || ascii(b, len, 0, "GIF89a")) return "image/gif";
    if (ascii(b, len, 0, "RIFF")) {
      if (ascii(b, len, 8, "WEBP")) return "image/webp";
      if (ascii(b, len, 8, "WAVE")) return "audio/wav";
      if (ascii(b, len, 8, "AVI ")) return "video/x-msvideo";
      return null;
    }
    if (isBmp(b, len)) return "image/bmp";
    if (starts(b, len, 0, 'I', 'I', 42, 0) || starts(b, len, 0, 'M', 'M', 0, 42)) return "image/tiff";
    if (ascii(b, len, 4, "ftyp")) return isoMedia(b, len);
    if (ascii(b, len, 4, "moov") || ascii(b, len, 4, "mdat") || ascii(b, len, 4, "wide")) {
      return "video/quicktime"; // QuickTime files older than the ftyp box
    }
    if (starts(b, len, 0, 0x1A, 0x45, 0xDF, 0xA3)) return matroska(b, len);
    if (ascii(b, len, 0, "OggS")) return indexOf(b, len, "theora") >= 0 ? "video/ogg" : "audio/ogg";
    if (ascii(b, len, 0, "fLaC")) return "audio/flac";
    if (ascii(b, len, 0, "FORM") && (ascii(b, len, 8, "AIFF") || ascii(b, len, 8, "AIFC"))) return "audio/aiff";
    if (starts(b, len, 0, 'F', 'L', 'V', 1)) return "video/x-flv";
    if (ascii(b, len, 0, "ID3")) return "audio/mpeg";
    if (len >= 3 && u(b, 0) == 0xFF) {
      // ADTS and MPEG audio share the 0xFFF sync word; the layer bits (always 00 in ADTS) tell them apart.
      if ((u(b, 1) & 0xF6) == 0xF0) return "audio/aac";
      if (isMpegAudioFrame(b)) return "audio/mpeg";
    }
    if (ascii(b, len, 0, "%PDF-")) return "application/pdf";
    if (starts(b, len, 0, 'P', 'K', 3, 4)) return "application/zip";
    if (starts(b, len, 0, 0x1F, 0x8B)) return "application/gzip";
    return null;
  }

  /** {@link #magic}, else {@code text/plain} for what decodes as UTF-8 text, else octet-stream. */
  static String detect(byte[] b, int len) {
    String type = magic(b, len);
    if (type != null) return type;
    return looksLikeText(b, len) ? "text/plain" : OCTET_STREAM;
  }

  static boolean looksLikeText(byte[] b, int len) {
    if (len == 0) return false;
    for (int i = 0; i < len; i++) {
      int c = u(b, i);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') return false;
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b, 0, trimPartialUtf8(b, len)));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static String isoMedia(byte[] b, int len) {
    long boxSize = Math.min(len, ((long) u(b, 0) << 24) | (u(b, 1) << 16) | (u(b, 2) << 8) | u(b, 3));
    String major = brand(b, len, 8);
    if (major == null) return null;
    String type = byBrand(major);
    // Compatible brands decide when the major brand is generic (e.g. mif1 with avif, or an unknown one).
    for (int i = 16; type == null && i + 4 <= boxSize; i += 4) {
      type = byBrand(brand(b, len, i));
    }
    if (type == null && (major.equals("mif1") || major.equals("msf1"))) return "image/heif";
    return type;
  }

  private static String byBrand(String brand) {
    if (brand == null) return null;
    if (brand.equals("avif") || brand.equals("avis")) return "image/avif";
    if (HEIC.contains(brand)) return "image/heic";
    if (HEIC_SEQUENCE.contains(brand)) return "image/heic-sequence";
    if (brand.equals("qt  ")) return "video/quicktime";
    if (M4A.contains(brand)) return "audio/mp4";
    if (brand.startsWith("3gp")) return "video/3gpp";
    if (brand.startsWith("3g2")) return "video/3gpp2";
    // M4V is an MP4; players and upstream APIs know video/mp4 better than video/x-m4v.
    if (MP4.contains(brand)) return "video/mp4";
    return null;
  }

  private static String matroska(byte[] b, int len) {
    for (int i = 4; i + 3 < len; i++) {
      if (u(b, i) == 0x42 && u(b, i + 1) == 0x82) { // EBML DocType element id
        int first = u(b, i + 2);
        int width = Integer.numberOfLeadingZeros(first) - 23; // vint: leading zeros give the width
        if (width < 1 || width > 8 || i + 2 + width > len) break;
        long size = first & (0xFF >> width);
        for (int k = 1; k < width; k++) size = (size << 8) | u(b, i + 2 + k);
        return size == 4 && ascii(b, len, i + 2 + width, "webm") ? "video/webm" : "video/x-matroska";
      }
    }
    return "video/x-matroska";
  }

  private static boolean isBmp(byte[] b, int len) {
    if (len < 18 || b[0] != 'B' || b[1] != 'M') return false;
    // "BM" alone is too weak (text starts with it); the DIB header size is one of a few values.
    int dib = u(b, 14) | (u(b, 15) << 8) | (u(b, 16) << 16) | (u(b, 17) << 24);
    return dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124;
  }

  private static boolean isMpegAudioFrame(byte[] b) {
    int b1 = u(b, 1);
    int b2 = u(b, 2);
    return (b1 & 0xE0) == 0xE0 // sync
        && (b1 & 0x18) != 0x08 // version: not reserved
        && (b1 & 0x06) != 0x00 // layer: not reserved
        && (b2 >> 4) != 0x0F // bitrate: not "bad"
        && ((b2 >> 2) & 0x03) != 0x03; // sample rate: not reserved
  }

  private static String brand(byte[] b, int len, int at) {
    if (at + 4 > len) return null;
    return new String(b, at, 4, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
  }

  private static int trimPartialUtf8(byte[] b, int len) {
    // the head may cut a multi-byte character in two; drop its start rather than call it binary
    int i = len - 1;
    int continuation = 0;
    while (i >= 0 && continuation < 3 && (u(b, i) & 0xC0) == 0x80) {
      i--;
      continuation++;
    }
    if (i < 0 || u(b, i) < 0xC0) return len;
    int need = u(b, i) >= 0xF0 ? 3 : u(b, i) >= 0xE0 ? 2 : 1;
    return continuation < need ? i : len;
  }

  private static int indexOf(byte[] b, int len, String needle) {
    outer:
    for (int i = 0; i + needle.length() <= len; i++) {
      for (int j = 0; j < needle.length(); j++) {
        if (u(b, i + j) != needle.charAt(j)) continue outer;
      }
      return i;
    }
    return -1;
  }

  private static boolean ascii(byte[] b, int len, int at, String s) {
    if (at + s.length() > len) return false;
    for (int i = 0; i < s.length(); i++) {
      if (u(b, at + i) != s.charAt(i)) return false;
    }
    return true;
  }

  private static boolean starts(byte[] b, int len, int at, int... sig) {
    if (at + sig.length > len) return false;
    for (int i = 0; i < sig.length; i++) {
      if (u(b, at + i) != sig[i]) return false;
    }
    return true;
  }

  private static int u(byte[] b, int i) {
    return b[i] & 0xFF;
  }
}
