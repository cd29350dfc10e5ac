package dev.skillhost.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code make cluster} as the README shows it: {@code scripts/cluster.sh --check} starts its
 * PostgreSQL and three hosts, runs the README's example (a task submitted to host 1, streamed from
 * host 3, read on host 2) and stops everything. Free ports and a directory of its own, so a
 * {@code make cluster} running beside it is not disturbed.
 */
class ClusterScriptTest {

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void make_cluster_starts_three_hosts_on_one_store_and_stops_them() throws Exception {
    Path dir = Repo.root().resolve("cluster/target/runs/script-" + System.currentTimeMillis());
    Files.createDirectories(dir);
    Path out = dir.resolve("cluster.out");
    ProcessBuilder pb = new ProcessBuilder("scripts/cluster.sh", "--check").directory(Repo.root().toFile())
        .redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("CLUSTER_DIR", dir.toString());
    pb.environment().put("CLUSTER_PORT", String.valueOf(threeFreePorts()));
    pb.environment().put("CLUSTER_PG_PORT", String.valueOf(freePort()));
    Process p = pb.start();
    boolean ended = p.waitFor(210, TimeUnit.SECONDS);
    if (!ended) {
      p.destroy(); // the script's trap stops the hosts and PostgreSQL
      p.waitFor(30, TimeUnit.SECONDS);
    }
    String text = Files.readString(out);
    assertThat(ended).as("cluster.sh --check ended\n%s", text).isTrue();
    assertThat(p.exitValue()).as("exit status\n%s", text).isZero();
    assertThat(text).contains("check: ok", "host 3:     http://127.0.0.1:", "API key:    sk_", "stopped");
  }

  @Test
  @Timeout(10)
  void the_readme_example_is_what_the_check_runs() throws IOException {
    String readme = Files.readString(Repo.root().resolve("README.md"));
    String script = Files.readString(Repo.root().resolve("scripts/cluster.sh"));
    int section = readme.indexOf("## Several hosts on PostgreSQL");
    assertThat(section).as("README section").isPositive();
    int block = readme.indexOf("```sh\n", readme.indexOf("```sh\n", section) + 1) + 6;
    java.util.List<String> lines = readme.substring(block, readme.indexOf("```", block)).lines()
        .filter(l -> l.startsWith("TASK=") || l.startsWith("  -d") || l.startsWith("curl")).toList();
    assertThat(lines).hasSize(4);
    assertThat(lines).allSatisfy(l -> assertThat(script).contains(l));
  }

  /** The first of three consecutive ports that are free now. */
  private static int threeFreePorts() throws IOException {
    for (int tries = 0; tries < 50; tries++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      if (free(base) && free(base + 1) && free(base + 2)) {
        return base;
      }
    }
    throw new IllegalStateException("no three consecutive free ports");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
