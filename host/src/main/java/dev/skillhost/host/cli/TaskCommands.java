package dev.skillhost.host.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands on tasks that already exist: list, show, follow, cancel, confirm, download. */
public final class TaskCommands {

  private TaskCommands() {}

  /** Every client command on tasks, for {@code Main} to register. */
  public static final List<Class<?>> ALL = List.of(Tasks.class, Get.class, Watch.class, Cancel.class, Confirm.class,
      Download.class);

  /** Shared: connection options and one task id, checked before it goes into a URL path. */
  abstract static class OnTask implements Callable<Integer> {
    @Mixin Connection conn;

    @Parameters(index = "0", paramLabel = "ID", description = "The task id (t_…).")
    String id;

    String path() {
      if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
        throw new CliException(CliException.BAD_INPUT, "'" + id + "' is not a task id (they look like t_162ya4a6515xrvc4aagf).");
      }
      return "/v1/tasks/" + id;
    }

    void print(JsonObject task) {
      if (conn.json) {
        System.out.println(task.encode());
      } else {
        TaskText.details(System.out, task);
      }
    }
  }

  @Command(name = "tasks", description = "List your tasks, newest first.")
  static final class Tasks implements Callable<Integer> {
    @Mixin Connection conn;

    @Option(names = "--state", paramLabel = "STATE,…", split = ",",
        description = "Only these states (queued, submitting, running, awaiting_confirmation, unknown, succeeded, failed, cancelled).")
    List<String> states = List.of();

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N tasks (default: 20).")
    int limit;

    @Override
    public Integer call() {
      if (limit < 1 || limit > 500) {
        throw new CliException(CliException.BAD_INPUT, "--limit must be between 1 and 500.");
      }
      String query = "?limit=" + limit + (states.isEmpty() ? ""
          : "&state=" + URLEncoder.encode(String.join(",", states), StandardCharsets.UTF_8));
      JsonObject page = conn.client(null).get("/v1/tasks" + query);
      if (conn.json) {
        System.out.println(page.encode());
        return 0;
      }
      JsonArray tasks = page.getJsonArray("tasks", new JsonArray());
      if (tasks.isEmpty()) {
        System.out.println("No tasks" + (states.isEmpty() ? "." : " in state " + String.join(", ", states) + "."));
        return 0;
      }
      System.out.println(TaskText.HEADER);
      tasks.forEach(t -> System.out.println(TaskText.row((JsonObject) t)));
      return 0;
    }
  }

  @Command(name = "get", description = "Show one task.")
  static final class Get extends OnTask {
    @Override
    public Integer call() {
      print(conn.client(null).get(path()));
      return 0;
    }
  }

  @Command(name = "watch", description = "Follow a task live until it ends (--json: one JSON line per event).")
  static final class Watch extends OnTask {
    @Option(names = "--locale", paramLabel = "TAG", description = "The language of the messages.")
    String locale;

    @Override
    public Integer call() {
      HostClient client = conn.client(locale);
      JsonObject task = client.get(path());
      String end;
      try (ProgressView view = ProgressView.of(conn.json, false, task.getString("skill", task.getString("provider"))
          + " " + task.getString("operation"), 0)) {
        end = new EventStream(client, 0).follow(id, view::show);
      }
      if (!conn.json) {
        TaskText.finished(System.out, client.get(path()), List.of());
      }
      if (!"succeeded".equals(end)) {
        throw new CliException(CliException.FAILED, TaskText.why(client.get(path())));
      }
      return 0;
    }
  }

  @Command(name = "cancel", description = "Cancel a task.")
  static final class Cancel extends OnTask {
    @Override
    public Integer call() {
      print(conn.client(null).post(path() + "/cancel", null));
      return 0;
    }
  }

  @Command(name = "confirm", description = "Agree to the spend of a task awaiting confirmation.")
  static final class Confirm extends OnTask {
    @Override
    public Integer call() {
      print(conn.client(null).post(path() + "/confirm", null));
      return 0;
    }
  }

  @Command(name = "download", description = "Save a finished task's outputs.")
  static final class Download extends OnTask {
    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = ".", description = "Where to save them (default: .).")
    Path out;

    @Override
    public Integer call() {
      HostClient client = conn.client(null);
      JsonObject task = client.get(path());
      if (task.getJsonArray("outputs", new JsonArray()).isEmpty()) {
        throw new CliException(CliException.FAILED, "Task " + id + " is " + task.getString("state") + " and has no outputs yet.");
      }
      List<Path> saved = Outputs.save(client, task, out);
      if (conn.json) {
        System.out.println(new JsonObject().put("task", id)
            .put("files", new JsonArray(saved.stream().map(Path::toString).toList())).encode());
      } else {
        saved.forEach(p -> System.out.println("Saved " + p + " (" + Outputs.size(p) + ")"));
      }
      return 0;
    }
  }
}
