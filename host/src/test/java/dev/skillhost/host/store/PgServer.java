package dev.skillhost.host.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: Debian's {@code postgresql} binaries ({@code initdb},
 * {@code pg_ctl}), one private cluster per JVM in a temporary directory on 127.0.0.1 and a free
 * port, and a fresh database per caller. Started on first use, stopped when the JVM exits.
 *
 * <p>PostgreSQL refuses to run as root; as root (CI), the cluster is made and run by the
 * {@code postgres} user the Debian package creates, through {@code runuser}. The binaries are
 * found in {@code SKILLHOST_PG_BIN} or the newest {@code /usr/lib/postgresql/N/bin}; without them
 * the test fails saying what to install, never skips: the store suite must run on both stores.
 */
public final class PgServer {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PgServer instance;

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgres;

  private PgServer(Path bin, Path dir, int port, boolean asPostgres) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgres = asPostgres;
  }

  /** The JVM's server, started on first call. */
  public static synchronized PgServer get() {
    if (instance == null) {
      instance = start();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "pg-server-stop"));
    }
    return instance;
  }

  /** A new empty database on the server, as a {@code store:} URL ({@code postgres://user@host:port/db}). */
  public String newDatabase() {
    String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "skillhost",
        name));
    return url(name);
  }

  /**
   * One database of the test server for one test (made on first use), opened again on each call:
   * as several hosts, or a host and its restart, open the same store.
   */
  public static final class Store {
    private String url;

    public Database open(io.vertx.core.Vertx vertx) {
      if (url == null) {
        url = get().newDatabase();
      }
      return Database.open(vertx, StoreUrl.parse(url));
    }
  }

  /** The {@code store:} URL of database {@code name} on this server. */
  public String url(String name) {
    return "postgres://skillhost@127.0.0.1:" + port + "/" + name;
  }

  public int port() {
    return port;
  }

  private static PgServer start() {
    Path bin = findBin();
    try {
      boolean root = "root".equals(System.getProperty("user.name"));
      stopOrphans(bin, root);
      Path dir = Files.createTempDirectory("skillhost-pg-");
      Files.writeString(dir.resolve("owner.pid"), String.valueOf(ProcessHandle.current().pid()));
      PgServer pg = new PgServer(bin, dir, freePort(), root);
      if (root) {
        pg.run(List.of("chown", "postgres", dir.toString()));
      }
      pg.run(pg.asUser(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
          "-U", "skillhost", "-E", "UTF8", "--no-sync")));
      // fsync off: tests never survive a power cut, and the suite's many commits stay fast
      pg.run(pg.asUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-l",
          dir.resolve("log").toString(), "-o", "-p " + pg.port + " -k " + dir + " -c listen_addresses=127.0.0.1"
              + " -c fsync=off -c full_page_writes=off -c max_connections=300", "start")));
      return pg;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a test PostgreSQL: " + e.getMessage(), e);
    }
  }

  /**
   * Stops the servers of test JVMs that died without their shutdown hook (killed): each server's
   * directory names the JVM that made it.
   */
  private static void stopOrphans(Path bin, boolean root) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> dirs = Files.list(tmp)) {
      for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith("skillhost-pg-")).toList()) {
        Path owner = d.resolve("owner.pid");
        if (!Files.exists(owner)) {
          continue;
        }
        long pid = Long.parseLong(Files.readString(owner).strip());
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        new PgServer(bin, d, 0, root).stop();
      }
    } catch (IOException | RuntimeException e) {
      // a leftover server only costs memory; never fail a test for it
    }
  }

  private void stop() {
    try {
      run(asUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
          "stop")));
    } catch (RuntimeException e) {
      // the JVM is going away: the directory below is removed either way
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind
    }
  }

  private List<String> asUser(List<String> command) {
    if (!asPostgres) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private void run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Path findBin() {
    String env = System.getenv("SKILLHOST_PG_BIN");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path root = Path.of("/usr/lib/postgresql");
    try (Stream<Path> versions = Files.list(root)) {
      return versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
          .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
          .map(v -> v.resolve("bin"))
          .orElseThrow(() -> new IllegalStateException("no initdb under " + root));
    } catch (IOException | IllegalStateException e) {
      throw new IllegalStateException("PostgreSQL's server is not installed (apt-get install postgresql), "
          + "or set SKILLHOST_PG_BIN to its bin directory: " + e.getMessage());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
