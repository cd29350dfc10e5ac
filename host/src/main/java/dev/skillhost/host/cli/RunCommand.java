package dev.skillhost.host.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code skillhost run "animate this photo" --file photo.jpg}: uploads the files, shows where the
 * request goes, asks before credits are spent, submits, follows the task live and downloads what
 * it made.
 */
@Command(name = "run", description = "Say what to make: route, confirm the spend, submit, follow, download.")
public final class RunCommand implements Callable<Integer> {

  @Mixin Connection conn;

  @Parameters(index = "0", paramLabel = "TEXT", description = "What to make, in words (any language).")
  String text;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A file to attach (repeatable).")
  List<Path> files = new ArrayList<>();

  @Option(names = "--skill", paramLabel = "SKILL", description = "Use this skill instead of the one the host would pick.")
  String skill;

  @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE",
      description = "A parameter for the operation (repeatable); the value is read as JSON when it parses, else as text.")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--locale", paramLabel = "TAG", description = "The language of the messages (en, zh, …).")
  String locale;

  @Option(names = {"-y", "--yes"}, description = "Agree to the spend without asking.")
  boolean yes;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = ".", description = "Where to save the outputs (default: .).")
  Path out;

  private final Prompt prompt = new Prompt();
  /** Credits the user agreed to before submitting; the host asking for more asks the user again. */
  private Double agreed;
  private boolean declined;

  @Override
  public Integer call() {
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new CliException(CliException.BAD_INPUT, "No file at " + f + ".");
      }
    }
    HostClient client = conn.client(locale);
    JsonArray inputs = new JsonArray();
    List<String> ids = new ArrayList<>();
    for (Path f : files) {
      JsonObject up = client.upload(f);
      ids.add(up.getString("id"));
      inputs.add(new JsonObject().put("role", role(up.getString("mime", ""))).put("file", up.getString("id")));
    }
    Map<String, Object> values = values(params);
    RoutePreview preview = RoutePreview.of(client, text, ids, locale, skill, values);
    if (!conn.json) {
      System.out.println("Route:");
      preview.print(System.out);
    }
    if (preview.asksFirst() && !yes) {
      if (!prompt.yes(preview.credits() == null ? "The skill asks to confirm this spend. Go on?"
          : Prompt.spend(preview.credits(), preview.unit()))) {
        throw new CliException(CliException.FAILED, "Not confirmed; nothing was submitted.");
      }
      agreed = preview.credits();
    }
    JsonObject body = new JsonObject().put("skill", preview.skill()).put("text", text).put("inputs", inputs)
        .put("params", new JsonObject(values));
    if (locale != null) {
      body.put("locale", locale);
    }
    String id = client.post("/v1/tasks", body, "cli-" + UUID.randomUUID()).getString("id");
    if (!conn.json) {
      System.out.println("Task " + id + " submitted.");
    }
    Thread hint = new Thread(() -> System.err.println("\nThe task goes on at the host; follow it with: skillhost watch " + id));
    Runtime.getRuntime().addShutdownHook(hint);
    String end;
    try (ProgressView view = ProgressView.of(false, conn.json, preview.label(), preview.etaHighS())) {
      end = new EventStream(client, 0).follow(id, event -> {
        view.show(event);
        if ("state".equals(event.getString("type")) && "awaiting_confirmation".equals(event.getString("state"))) {
          view.pause();
          confirmOrCancel(client, id, event.getJsonObject("data", new JsonObject()));
        }
      });
    }
    Runtime.getRuntime().removeShutdownHook(hint);
    JsonObject task = client.get("/v1/tasks/" + id);
    List<Path> saved = "succeeded".equals(end) ? Outputs.save(client, task, out) : List.of();
    if (conn.json) {
      System.out.println(new JsonObject().put("task", task).put("route", preview.json())
          .put("files", new JsonArray(saved.stream().map(Path::toString).toList())).encode());
    } else {
      TaskText.finished(System.out, task, saved);
    }
    if (declined) {
      throw new CliException(CliException.FAILED, "Not confirmed: task " + id + " was cancelled and nothing was spent.");
    }
    if (!"succeeded".equals(end)) {
      throw new CliException(CliException.FAILED, TaskText.why(task));
    }
    return 0;
  }

  /** The host asks before spending (the skill's rule, or the backend's): confirm, or cancel. */
  private void confirmOrCancel(HostClient client, String id, JsonObject data) {
    JsonObject cost = data.getValue("cost") instanceof JsonObject c ? c : new JsonObject();
    Object credits = cost.getValue("credits");
    boolean covered = credits instanceof Number n && agreed != null && n.doubleValue() <= agreed;
    if (yes || covered || prompt.yes(credits == null ? "The host asks to confirm the spend of " + id + ". Go on?"
        : Prompt.spend(credits, cost.getString("unit")))) {
      client.post("/v1/tasks/" + id + "/confirm", null);
    } else {
      declined = true;
      client.post("/v1/tasks/" + id + "/cancel", null);
    }
  }

  private static String role(String mime) {
    return mime.startsWith("video/") ? "video" : mime.startsWith("audio/") ? "audio" : "image";
  }

  /** {@code k=v} values: JSON when they parse (150, true, {"a":1}), else the text itself. */
  static Map<String, Object> values(Map<String, String> raw) {
    Map<String, Object> values = new LinkedHashMap<>();
    raw.forEach((k, v) -> {
      Object parsed;
      try {
        parsed = Json.decodeValue(v);
      } catch (DecodeException e) {
        parsed = v;
      }
      values.put(k, parsed instanceof Map<?, ?> m ? new JsonObject(castMap(m))
          : parsed instanceof List<?> l ? new JsonArray(new ArrayList<>(l)) : parsed);
    });
    return values;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
