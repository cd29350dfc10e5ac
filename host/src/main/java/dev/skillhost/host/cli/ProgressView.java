package dev.skillhost.host.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import me.tongfei.progressbar.ProgressState;

/**
 * How a followed task is shown: a live bar on a terminal, one plain line per event when stdout is
 * a file or a pipe, one JSON line per event for scripts, or nothing (a command that prints one
 * JSON document at the end).
 */
abstract class ProgressView implements AutoCloseable {

  /** Shows one event envelope. */
  abstract void show(JsonObject event);

  /** Steps out of the way before a question is asked on the terminal. */
  void pause() {}

  @Override
  public void close() {}

  static ProgressView of(boolean json, boolean quiet, String label, long etaHighS) {
    if (quiet) {
      return new ProgressView() {
        @Override
        void show(JsonObject event) {}
      };
    }
    if (json) {
      return new ProgressView() {
        @Override
        void show(JsonObject event) {
          System.out.println(event.encode());
        }
      };
    }
    return Terminal.interactive() ? new Bar(label, etaHighS) : new Lines(System.out);
  }

  static String percent(JsonObject event) {
    Object f = event.getJsonObject("data", new JsonObject()).getValue("fraction");
    return f instanceof Number n ? Math.round(n.doubleValue() * 100) + "%" : "";
  }

  /** What to say about this event: the provider's stage text, else the skill's message. */
  static String detail(JsonObject event) {
    String stage = event.getJsonObject("data", new JsonObject()).getString("message");
    String message = event.getString("message");
    return "progress".equals(event.getString("type")) && stage != null ? stage : message == null ? "" : message;
  }

  /** Plain lines: {@code [m:ss] state 35% step 4 of 10}. */
  static final class Lines extends ProgressView {
    private final PrintStream out;
    private final Instant start = Instant.now();

    Lines(PrintStream out) {
      this.out = out;
    }

    @Override
    void show(JsonObject event) {
      if ("output".equals(event.getString("type"))) {
        return; // the final state event carries the same message
      }
      Duration t = Duration.between(start, Instant.now());
      String line = String.format("[%d:%02d] %s %s %s", t.toMinutes(), t.toSecondsPart(), event.getString("state"),
          percent(event), detail(event).replace('\n', ' ')).replaceAll(" +", " ").strip();
      out.println(line);
      out.flush();
    }
  }

  /** The live bar: stage and message, percent, elapsed and ETA, redrawn in place by the library. */
  static final class Bar extends ProgressView {
    private final String label;
    private final long etaHighS;
    private final Instant start = Instant.now();
    private ProgressBar bar;
    private long percent;
    private String state = "queued";
    private String finalMessage;

    Bar(String label, long etaHighS) {
      this.label = label;
      this.etaHighS = etaHighS;
    }

    @Override
    void show(JsonObject event) {
      state = event.getString("state", state);
      Object f = event.getJsonObject("data", new JsonObject()).getValue("fraction");
      if (f instanceof Number n) {
        percent = Math.max(percent, Math.min(100, Math.round(n.doubleValue() * 100)));
      }
      if ("succeeded".equals(state)) {
        percent = 100;
      }
      if ("state".equals(event.getString("type")) && EventStream.TERMINAL.contains(state)) {
        finalMessage = event.getString("message");
      }
      String detail = detail(event).lines().findFirst().orElse("");
      bar().stepTo(percent).setExtraMessage(detail.isEmpty() ? state : state + " · " + detail);
    }

    private ProgressBar bar() {
      if (bar == null) {
        bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(100).setStyle(style())
            .setConsumer(new ConsoleProgressBarConsumer(System.out)).setUpdateIntervalMillis(200).continuousUpdate()
            .startsFrom(percent, Duration.between(start, Instant.now())).setEtaFunction(this::eta).build();
      }
      return bar;
    }

    /** The rate so far once there is one; before that, the skill's ETA counted down. */
    private Optional<Duration> eta(ProgressState s) {
      double done = s.getNormalizedProgress();
      long elapsed = Duration.between(start, Instant.now()).toMillis();
      if (done >= 0.05) {
        return Optional.of(Duration.ofMillis((long) (elapsed * (1 - done) / done)));
      }
      return etaHighS > 0 ? Optional.of(Duration.ofMillis(Math.max(0, etaHighS * 1000 - elapsed))) : Optional.empty();
    }

    private static ProgressBarStyle style() {
      return Terminal.charset().equals(Charset.forName("UTF-8")) ? ProgressBarStyle.UNICODE_BLOCK : ProgressBarStyle.ASCII;
    }

    @Override
    void pause() {
      close();
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
      if (finalMessage != null) {
        System.out.println(finalMessage); // the result in the skill's words: the link, the duration
        finalMessage = null;
      }
    }
  }
}
