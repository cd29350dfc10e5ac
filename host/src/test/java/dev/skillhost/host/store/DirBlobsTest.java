package dev.skillhost.host.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory blob store: the calls an S3-compatible store would answer the same way. */
class DirBlobsTest {

  @TempDir Path dir;

  @Test
  void put_moves_the_bytes_in_and_they_read_whole_by_range_and_by_size() throws IOException {
    DirBlobs blobs = new DirBlobs(dir.resolve("files"));
    Path source = Files.writeString(dir.resolve("upload"), "0123456789");
    blobs.put("abcdef", source);
    assertThat(source).doesNotExist();
    assertThat(blobs.file("abcdef")).contains(dir.resolve("files/ab/abcdef").toAbsolutePath());
    assertThat(blobs.size("abcdef")).isEqualTo(10);
    assertThat(read(blobs.open("abcdef", 0, -1))).isEqualTo("0123456789");
    assertThat(read(blobs.open("abcdef", 3, 4))).isEqualTo("3456");
    assertThat(read(blobs.open("abcdef", 8, 100))).isEqualTo("89");
  }

  @Test
  void a_key_already_stored_keeps_its_bytes_and_the_source_goes() throws IOException {
    DirBlobs blobs = new DirBlobs(dir.resolve("files"));
    blobs.put("abcdef", Files.writeString(dir.resolve("a"), "first"));
    Path again = Files.writeString(dir.resolve("b"), "first");
    blobs.put("abcdef", again);
    assertThat(again).doesNotExist();
    assertThat(read(blobs.open("abcdef", 0, -1))).isEqualTo("first");
  }

  @Test
  void a_stored_blob_passed_back_in_is_left_in_place() throws IOException {
    DirBlobs blobs = new DirBlobs(dir.resolve("files"));
    blobs.put("abcdef", Files.writeString(dir.resolve("a"), "bytes"));
    Path own = blobs.file("abcdef").orElseThrow();
    blobs.put("abcdef", own);
    blobs.put("abcxyz", own); // under another key: copied, the original stays
    assertThat(own).hasContent("bytes");
    assertThat(read(blobs.open("abcxyz", 0, -1))).isEqualTo("bytes");
  }

  @Test
  void delete_answers_whether_there_was_a_blob_and_a_missing_one_reads_as_no_such_file() throws IOException {
    DirBlobs blobs = new DirBlobs(dir.resolve("files"));
    blobs.put("abcdef", Files.writeString(dir.resolve("a"), "x"));
    assertThat(blobs.delete("abcdef")).isTrue();
    assertThat(blobs.delete("abcdef")).isFalse();
    assertThatThrownBy(() -> blobs.size("abcdef")).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> blobs.open("abcdef", 0, -1)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void keys_that_could_leave_the_directory_are_refused() {
    DirBlobs blobs = new DirBlobs(dir.resolve("files"));
    for (String bad : new String[] {"../etc", "ab/cd", "a.b.c", "ab", ""}) {
      assertThatThrownBy(() -> blobs.file(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static String read(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
