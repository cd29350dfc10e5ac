package dev.skillhost.host.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** What one read of a file tells: its content address, size and type. */
record Digest(String id, long size, String mime) {

  private static final int BUFFER = 64 * 1024;
  private static final Pattern MIME = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");

  /** Reads {@code file} once, hashing it and keeping its head for the sniffer. Blocking. */
  static Digest of(Path file, String mimeHint) throws IOException {
    MessageDigest sha = sha256();
    byte[] head = new byte[Sniffer.HEAD];
    int headLength = 0;
    long size = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[BUFFER];
      for (int n; (n = in.read(buf)) > 0; size += n) {
        int k = Math.min(n, head.length - headLength);
        System.arraycopy(buf, 0, head, headLength, k);
        headLength += k;
        sha.update(buf, 0, n);
      }
    }
    return new Digest(HexFormat.of().formatHex(sha.digest()), size, typeOf(head, headLength, mimeHint));
  }

  /** A signature wins; else a well-formed hint (it may become a Content-Type header); else text or octets. */
  private static String typeOf(byte[] head, int length, String hint) {
    String sniffed = Sniffer.magic(head, length);
    if (sniffed != null) {
      return sniffed;
    }
    String h = hint == null ? "" : hint.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (MIME.matcher(h).matches()) {
      return h;
    }
    return Sniffer.looksLikeText(head, length) ? "text/plain" : Sniffer.OCTET_STREAM;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
