package dev.skillhost.simulators.feishu;

import java.nio.charset.StandardCharsets;

/** What the simulator checks of uploaded bytes: that an image is one, that an mp4 is ISO-BMFF. */
final class FeishuMedia {

  private FeishuMedia() {}

  static boolean isImage(byte[] b) {
    return starts(b, 0, new byte[] {(byte) 0x89, 'P', 'N', 'G'})
        || starts(b, 0, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})
        || ascii(b, 0, "GIF8")
        || (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP"))
        || ascii(b, 0, "BM")
        || starts(b, 0, new byte[] {'I', 'I', 42, 0})
        || starts(b, 0, new byte[] {'M', 'M', 0, 42})
        || starts(b, 0, new byte[] {0, 0, 1, 0});
  }

  /** An MP4/MOV begins with an {@code ftyp} box (Feishu transcodes nothing else into a media message). */
  static boolean isMp4(byte[] b) {
    return ascii(b, 4, "ftyp");
  }

  private static boolean ascii(byte[] b, int at, String s) {
    return starts(b, at, s.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static boolean starts(byte[] b, int at, byte[] prefix) {
    if (b.length < at + prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
