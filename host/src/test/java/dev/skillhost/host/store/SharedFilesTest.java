package dev.skillhost.host.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.api.ApiKeys;
import dev.skillhost.host.api.FileLinks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Files several nodes make on one fresh shared directory at once end with one value. */
class SharedFilesTest {

  static final int PROCESSES = 4;

  @TempDir Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void four_processes_starting_at_once_on_a_fresh_shared_dir_end_with_one_key_and_one_link_secret()
      throws Exception {
    Path shared = dir.resolve("shared");
    Path go = dir.resolve("go");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> racers = new ArrayList<>();
    for (int i = 0; i < PROCESSES; i++) {
      racers.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SharedFilesRacer.class.getName(),
          shared.toString(), go.toString()).redirectErrorStream(true).start());
    }
    Thread.sleep(1500); // let every JVM reach its spin on the go file
    Files.createFile(go);
    List<String> lines = new ArrayList<>();
    for (Process p : racers) {
      String out = new String(p.getInputStream().readAllBytes()).strip();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      lines.add(out.lines().reduce((a, b) -> b).orElse(""));
    }
    List<String> created = lines.stream().map(l -> l.split(" ")[0]).filter(k -> !k.equals("-")).toList();
    assertThat(created).as("one process made the key: " + lines).hasSize(1);
    assertThat(Files.readString(shared.resolve(ApiKeys.FILE_NAME))).contains(created.get(0));
    assertThat(lines).as("every process accepts the key in the file").allMatch(l -> l.split(" ")[1].equals("true"));
    String link = FileLinks.loadOrCreate(shared, Duration.ofHours(1), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)).link("f");
    assertThat(lines).as("every process signs links with the secret in the file")
        .allMatch(l -> l.split(" ")[2].equals(link));
    assertPrivateAndTidy(shared);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void threads_racing_on_many_fresh_files_always_agree_on_the_first_content() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 100; round++) {
        Path file = dir.resolve("round" + round).resolve("secret");
        CyclicBarrier start = new CyclicBarrier(4);
        List<Future<SharedFiles.Content>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          String mine = "value-" + t + "\n";
          Callable<SharedFiles.Content> race = () -> {
            start.await();
            return SharedFiles.createIfAbsent(file, mine);
          };
          results.add(pool.submit(race));
        }
        List<SharedFiles.Content> all = new ArrayList<>();
        for (Future<SharedFiles.Content> f : results) {
          all.add(f.get());
        }
        String onDisk = Files.readString(file);
        assertThat(all).extracting(SharedFiles.Content::text).as("round " + round).containsOnly(onDisk);
        assertThat(all).filteredOn(SharedFiles.Content::created).as("round " + round).hasSize(1);
        assertPrivateAndTidy(file.getParent());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void an_existing_file_is_read_and_never_replaced() throws IOException {
    Path file = dir.resolve("keep");
    Files.writeString(file, "first\n");
    SharedFiles.Content c = SharedFiles.createIfAbsent(file, "second\n");
    assertThat(c.created()).isFalse();
    assertThat(c.text()).isEqualTo("first\n");
    assertThat(Files.readString(file)).isEqualTo("first\n");
  }

  /** Every file owner-only, no temporary file left behind. */
  private static void assertPrivateAndTidy(Path shared) throws IOException {
    try (Stream<Path> files = Files.list(shared)) {
      Set<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
      assertThat(names).noneMatch(n -> n.endsWith(".tmp"));
      for (String n : names) {
        if (Files.isRegularFile(shared.resolve(n))) {
          assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared.resolve(n)))).as(n)
              .isEqualTo("rw-------");
        }
      }
    }
  }
}
