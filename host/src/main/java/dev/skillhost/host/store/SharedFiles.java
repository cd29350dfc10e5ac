package dev.skillhost.host.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/**
 * Small private files that several host processes on one shared directory must agree on (the API
 * keys, the file-link secret, webhook signing secrets): made once, whoever comes first, and never
 * replaced.
 *
 * <p>{@link #createIfAbsent} writes the whole content to a private temporary file beside the target
 * and then hard-links it to the target name. {@code link(2)} fails when the name exists, so of two
 * processes racing on a fresh directory exactly one creates the file and the other reads the
 * winner's content, and nobody ever sees a partly written file. A rename would not do: on Linux
 * {@code Files.move(…, ATOMIC_MOVE)} is {@code rename(2)}, which silently replaces an existing
 * target even without {@code REPLACE_EXISTING}, so the second process would overwrite the first's
 * secret after the first had started using it.
 *
 * <p>On a file system without hard links the file is created with {@code O_EXCL} and then
 * written; a reader that finds it before the writer finished waits for the final newline every
 * content here ends with.
 *
 * <p>Blocking: call at boot or on a worker.
 */
public final class SharedFiles {

  private static final FileAttribute<?> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final long PARTIAL_WAIT_MS = 2_000;

  private SharedFiles() {}

  /** What a call found: the file's text, and whether this call made it. */
  public record Content(String text, boolean created) {}

  /**
   * Makes {@code file} (owner-only) holding {@code text} unless it exists, and answers what it
   * holds now: {@code text} if this call made it, else whatever the first maker wrote.
   *
   * @param text ends with {@code \n} (how a reader knows the file is whole)
   */
  public static Content createIfAbsent(Path file, String text) throws IOException {
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException("shared file content must end with a newline");
    }
    if (Files.exists(file)) {
      return new Content(read(file), false);
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    Files.createFile(tmp, OWNER_ONLY);
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.createLink(file, tmp);
        return new Content(text, true);
      } catch (FileAlreadyExistsException lost) {
        return new Content(read(file), false);
      } catch (UnsupportedOperationException | FileSystemException noLinks) {
        return createExclusive(file, text);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Content createExclusive(Path file, String text) throws IOException {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return new Content(text, true);
    } catch (FileAlreadyExistsException lost) {
      return new Content(read(file), false);
    }
  }

  /** The file's text, waiting briefly for a maker still writing it (no final newline yet). */
  public static String read(Path file) throws IOException {
    long deadline = System.currentTimeMillis() + PARTIAL_WAIT_MS;
    String text = Files.readString(file, StandardCharsets.UTF_8);
    while (!text.endsWith("\n") && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while " + file + " was being written", e);
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    }
    return text;
  }
}
