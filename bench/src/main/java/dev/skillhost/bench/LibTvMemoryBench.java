package dev.skillhost.bench;

import dev.skillhost.host.api.ApiKeys;
import dev.skillhost.host.boot.ConfigLoader;
import dev.skillhost.host.boot.Host;
import dev.skillhost.host.boot.HostConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code make bench}: what 1,000 waiting LibTV tasks cost. The host side is a real host with the
 * real LibTV plugin jar, polling a LibTV simulator (its own process, so its sessions are not
 * counted) every 8 s as the official waiter does; the figure is the host's heap after GC per
 * waiting task, as {@link HostBench} measures it. The seed's side is its design, one detached
 * Python waiter per task: {@value #PYTHON_PROCS} minimal Python 3 poll loops (urllib + json +
 * sleep against the same simulator, smaller than the seed's waiter, which also loads the whole
 * CLI) are started and their RSS and PSS read from /proc; PSS shares the interpreter's pages
 * among them, so PSS × 1,000 is the low estimate of the seed's cost.
 */
public final class LibTvMemoryBench {

  private static final int TASKS = 1_000;
  private static final int WARMUP = 200;
  private static final int PYTHON_PROCS = 10;
  private static final String WAIT = "bench-wait-forever";
  private static final String KEY = "mgk_sim_demo_0001";
  /** The seed's waiter, as small as it can be: poll the session every 8 s until a result URL. */
  private static final String WAITER = String.join("\n",
      "import json, sys, time, urllib.request",
      "base, sid, key = sys.argv[1], sys.argv[2], sys.argv[3]",
      "for i in range(23):",
      "    req = urllib.request.Request(base + '/libtv/v1/session/' + sid, headers={'X-API-KEY': key})",
      "    with urllib.request.urlopen(req, timeout=30) as r:",
      "        msgs = json.loads(r.read()).get('messages', [])",
      "    if any('libtv-res.liblib.art/sd-gen-save-img/' in str(m.get('content')) for m in msgs):",
      "        break",
      "    print('polled', len(msgs), flush=True)",
      "    time.sleep(8)",
      "");

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
  private Host host;
  private String hostKey;

  public static void main(String[] args) throws Exception {
    new LibTvMemoryBench().run();
  }

  private void run() throws Exception {
    Path pluginJar = Path.of("plugins/libtv/target/skillhost-plugin-libtv-0.1.0.jar");
    Path simJar = Path.of("simulators/target/skillhost-simulators-0.1.0.jar");
    for (Path p : List.of(pluginJar, simJar)) {
      if (!Files.exists(p)) throw new IllegalStateException("build first (make build): no " + p);
    }
    Process sim = new ProcessBuilder("java", "-cp", simJar + java.io.File.pathSeparator + "bench/target/lib/*",
        "dev.skillhost.simulators.libtv.LibTvSimulator", "0", "2000", WAIT + "=NEVER")
        .redirectErrorStream(true).start();
    Path data = Files.createTempDirectory("skillhost-libtv-bench");
    List<Process> waiters = new ArrayList<>();
    try {
      String simUrl = simulatorUrl(sim);
      double hostPerTask = hostSide(data, pluginJar, simUrl);
      long[] python = pythonSide(simUrl, waiters);
      double pssKb = python[1] / (double) PYTHON_PROCS;
      double rssKb = python[0] / (double) PYTHON_PROCS;
      double hostKb = hostPerTask / 1024;
      System.out.printf("LibTV, 1,000 waiting tasks (each polled every 8 s):%n");
      System.out.printf("  host heap:                   %,.0f KB  (%.1f KB per task, heap after GC)%n", hostKb * TASKS, hostKb);
      System.out.printf("  seed, one Python waiter each: %,.0f KB by PSS, %,.0f KB by RSS  (%.0f / %.0f KB per process, %d measured)%n",
          pssKb * TASKS, rssKb * TASKS, pssKb, rssKb, PYTHON_PROCS);
      System.out.printf("  ratio:                       %,.0f× less memory in the host (by PSS; %,.0f× by RSS)%n",
          pssKb / hostKb, rssKb / hostKb);
      // The fair whole-process view: the host's entire resident set (JVM, plugins, all 1,200 tasks)
      // against the waiters' summed PSS.
      long hostRssKb = kb(Files.readString(Path.of("/proc/self/status")), "VmRSS");
      System.out.printf("  whole host process RSS:      %,d KB with every task in it; the seed's waiters by PSS are %,.1f× that%n",
          hostRssKb, pssKb * TASKS / hostRssKb);
    } finally {
      waiters.forEach(Process::destroy);
      if (host != null) host.close().await();
      client.close();
      vertx.close().await();
      sim.destroy();
      sim.waitFor(5, TimeUnit.SECONDS);
      deleteTree(data);
    }
  }

  /** Heap per waiting LibTV task in a real host, after GC. */
  private double hostSide(Path data, Path pluginJar, String simUrl) throws Exception {
    Path plugins = Files.createDirectories(data.resolve("plugins"));
    Files.copy(pluginJar, plugins.resolve("libtv.jar"), StandardCopyOption.REPLACE_EXISTING);
    hostKey = ApiKeys.newKey();
    Files.writeString(data.resolve(ApiKeys.FILE_NAME), hostKey + "\n");
    JsonObject libtv = new JsonObject().put("gateway_url", simUrl).put("direct_url", simUrl)
        .put("result_wait_s", 3600).put("secrets", new JsonObject().put("LIBTV_ACCESS_KEY", KEY));
    HostConfig config = ConfigLoader.load(null, Map.of())
        .withHttp(new HostConfig.Http("127.0.0.1", 0, HostConfig.DEFAULT_BODY_LIMIT))
        .withDirs(data, plugins)
        .withSkills(new HostConfig.Skills(Path.of("skills"), HostConfig.Skills.DEFAULT_PREFER))
        .withProviders(Map.of("libtv", libtv));
    host = Host.start(vertx, config).await();

    submit(WARMUP); // JIT and first-use allocations, not counted
    settle(WARMUP);
    long baseline = usedHeapAfterGc();
    int before = host.engine().waiting().await();
    submit(TASKS);
    settle(before + TASKS);
    long after = usedHeapAfterGc();
    int waiting = host.engine().waiting().await() - before;
    if (waiting != TASKS) throw new IllegalStateException(waiting + " of " + TASKS + " tasks are waiting");
    return (after - baseline) / (double) waiting;
  }

  private void submit(int n) {
    List<Future<?>> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonObject body = new JsonObject().put("skill", "libtv").put("operation", "t2v")
          .put("params", new JsonObject().put("prompt", WAIT + " #" + i));
      sent.add(client.post(host.port(), "127.0.0.1", "/v1/tasks").bearerTokenAuthentication(hostKey).sendJsonObject(body)
          .map(r -> {
            if (r.statusCode() != 202) throw new IllegalStateException("submit answered " + r.statusCode() + ": " + r.bodyAsString());
            return r;
          }));
      if (sent.size() == 64) {
        Future.all(sent).await();
        sent.clear();
      }
    }
    Future.all(sent).await();
  }

  /** Until {@code expected} tasks wait and none is still being submitted: all hold a session. */
  private void settle(int expected) throws InterruptedException {
    while (host.engine().waiting().await() < expected || pending() > 0) {
      Thread.sleep(200);
    }
    Thread.sleep(1_000);
  }

  private int pending() {
    return client.get(host.port(), "127.0.0.1", "/v1/tasks?state=queued,submitting,unknown&limit=100")
        .bearerTokenAuthentication(hostKey).send()
        .map(r -> r.bodyAsJsonObject().getJsonArray("tasks", new io.vertx.core.json.JsonArray()).size()).await();
  }

  /** RSS and PSS (KB, summed) of {@value #PYTHON_PROCS} Python waiters, each on a session of its own. */
  private long[] pythonSide(String simUrl, List<Process> waiters) throws Exception {
    Path script = Files.createTempFile("libtv-waiter", ".py");
    Files.writeString(script, WAITER);
    try {
      for (int i = 0; i < PYTHON_PROCS; i++) {
        JsonObject s = client.postAbs(simUrl + "/libtv/v1/session").putHeader("X-API-KEY", KEY)
            .sendJsonObject(new JsonObject().put("message", WAIT + " python " + i)).await().bodyAsJsonObject();
        waiters.add(new ProcessBuilder("python3", script.toString(), simUrl, s.getString("sessionId"), KEY)
            .redirectErrorStream(true).start());
      }
      for (Process p : waiters) {
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.startsWith("polled")) throw new IllegalStateException("a Python waiter did not poll: " + line);
      }
      long rss = 0;
      long pss = 0;
      for (Process p : waiters) {
        String rollup = Files.readString(Path.of("/proc/" + p.pid() + "/smaps_rollup"));
        rss += kb(rollup, "Rss");
        pss += kb(rollup, "Pss");
      }
      return new long[] {rss, pss};
    } finally {
      Files.deleteIfExists(script);
    }
  }

  private static long kb(String rollup, String field) {
    Matcher m = Pattern.compile("(?m)^" + field + ":\\s+(\\d+) kB").matcher(rollup);
    if (!m.find()) throw new IllegalStateException("no " + field + " in smaps_rollup");
    return Long.parseLong(m.group(1));
  }

  private static String simulatorUrl(Process sim) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8));
    Pattern p = Pattern.compile("LibTV simulator on (http://\\S+)");
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      Matcher m = p.matcher(line);
      if (m.find()) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "libtv-sim-out");
        drain.setDaemon(true);
        drain.start();
        return m.group(1);
      }
    }
    throw new IllegalStateException("the LibTV simulator did not start");
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
