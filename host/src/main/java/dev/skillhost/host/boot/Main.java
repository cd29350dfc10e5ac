package dev.skillhost.host.boot;

import dev.skillhost.host.cli.CliException;
import dev.skillhost.host.cli.LoginCommand;
import dev.skillhost.host.cli.RunCommand;
import dev.skillhost.host.cli.TaskCommands;
import dev.skillhost.host.metrics.HostMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code skillhost}: {@code serve} starts a host and runs until stopped; {@code skills} checks
 * manifests; the client commands ({@code run}, {@code tasks}, {@code get}, {@code watch},
 * {@code cancel}, {@code confirm}, {@code download}, {@code login}) talk to a running host.
 */
@Command(name = "skillhost", mixinStandardHelpOptions = true, version = "skillhost " + Host.VERSION,
    description = "One host for AI image and video generation backends.",
    subcommands = {Main.Serve.class, SkillsCommand.class})
public final class Main implements Callable<Integer> {

  public static void main(String[] args) {
    CommandLine cli = commandLine();
    System.exit(cli.execute(args.length == 0 ? new String[] {"serve"} : args));
  }

  /** Every command, with the handlers that turn a failure into one line and an exit status. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.addSubcommand(new RunCommand());
    TaskCommands.ALL.forEach(cli::addSubcommand);
    cli.addSubcommand(new LoginCommand());
    // One plain line for a user's mistake, never a stack trace.
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      String message = e.getMessage() == null || e.getMessage().isBlank() ? "an unexpected error stopped the command" : e.getMessage();
      cmd.getErr().println("skillhost: " + message);
      return e instanceof CliException ce ? ce.exitCode() : 1;
    });
    cli.setParameterExceptionHandler((e, given) -> {
      CommandLine cmd = e.getCommandLine();
      cmd.getErr().println("skillhost: " + e.getMessage() + " (see: " + cmd.getCommandSpec().qualifiedName() + " --help)");
      return CliException.BAD_INPUT;
    });
    return cli;
  }

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 0;
  }

  @Command(name = "serve", description = "Start the host (the default command).")
  static final class Serve implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, description = "YAML config file (default: ./skillhost.yaml if present,"
        + " or $SKILLHOST_CONFIG).")
    Path config;

    @Override
    public Integer call() throws Exception {
      Path file = config;
      if (file == null && System.getenv("SKILLHOST_CONFIG") != null) {
        file = Path.of(System.getenv("SKILLHOST_CONFIG"));
      }
      if (file == null && Files.exists(Path.of("skillhost.yaml"))) {
        file = Path.of("skillhost.yaml");
      }
      if (file != null && !Files.isRegularFile(file)) {
        throw new IllegalArgumentException("no config file at " + file);
      }
      HostConfig cfg = ConfigLoader.load(file, System.getenv());
      // One registry for the host's meters and Vert.x's own (HTTP server, pools), both on /metrics.
      HostMetrics metrics = HostMetrics.create();
      Vertx vertx = Vertx.builder()
          .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
          .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
          .build();
      Host host;
      try {
        host = Host.start(vertx, cfg, metrics).await();
      } catch (Exception e) {
        vertx.close();
        throw new IllegalStateException("could not start: " + e.getMessage(), e);
      }
      System.out.println(Banner.text(host));
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        host.close().eventually(vertx::close).onComplete(ar -> stopped.countDown());
        try {
          stopped.await();
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }));
      stopped.await();
      return 0;
    }
  }
}
