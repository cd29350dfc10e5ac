package dev.skillhost.host.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.samskivert.mustache.Mustache;
import dev.skillhost.api.Estimate;
import dev.skillhost.api.ProviderException;
import dev.skillhost.host.skills.LoadResult;
import dev.skillhost.host.skills.Localized;
import dev.skillhost.host.skills.Messages;
import dev.skillhost.host.skills.Skill;
import dev.skillhost.host.skills.SkillLoader;
import dev.skillhost.host.skills.SkillOperation;
import dev.skillhost.host.skills.Template;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every template of every manifest in {@code skills/}, in every locale, rendered with the variables
 * the host really supplies for it: built by {@link TaskMessages#message} from a task of each
 * operation (its defaults applied, as the router and the API do) in the state that speaks, with the
 * outputs its plugin reports once the host has stored and probed them. A variable a template prints
 * ({@code {{cost}}}) that is not supplied or renders empty fails, naming file, template, locale and
 * variable. A variable used as a section ({@code {{#link}}…{{/link}}}) is the template's own
 * "only when there is one" and may be empty.
 */
class TemplateVariablesTest {

  static final Path MANIFESTS = Path.of("../skills");
  static final String FILE_ID = "f_0123456789abcdef0123";

  /**
   * What each operation of each skill yields, as its plugin reports it (see the plugins' Output
   * construction): the kinds of its outputs ({@code image|video}: either). A new operation must be added here.
   */
  static final Map<String, Map<String, String>> KINDS = Map.of(
      "chatart", Map.of("t2v", "video", "i2v", "video", "omni", "video", "extend", "video", "mimic", "video",
          "text2image", "image", "image_edit", "image", "account", "text"),
      "libtv", Map.of("t2v", "video", "i2v", "video", "text2image", "image", "image2image", "image", "upload", "text",
          "account", "text", "change_project", "text", "query", "text"),
      "local", Map.of("i2v", "video", "slideshow", "video", "extend", "video", "image_edit", "image"),
      "lovart", Map.of("text2image", "image", "image_edit", "image", "t2v", "video", "i2v", "video", "video_edit", "video",
          "model_3d", "model"),
      "nemovideo", Map.of("generate", "video", "edit", "video", "export", "video", "state", "text",
          // NemoVideoProvider.upload: each uploaded file back, by its file_type
          "upload", "image|video", "account", "text"),
      "sim", Map.of("text2image", "image", "t2v", "video", "i2v", "video"));

  /** Meta the plugin itself puts on a result (beyond what the host reads from the stored bytes). */
  static JsonObject pluginMeta(String skill, String kind, JsonObject params) {
    JsonObject meta = new JsonObject();
    switch (skill) {
      // ChatArtResults: the backend's cost_credit as "cost", and the model sent
      case "chatart" -> meta.put("cost", 40).put("model", params.getValue("model"));
      // LovartResult: the canvas the result opens in
      case "lovart" -> meta.put("link", "https://www.lovart.ai/canvas?projectId=p1");
      // NemoTurnFlow: the claim link that opens the draft in the editor
      case "nemovideo" -> meta.put("link", "https://nemovideo.ai/claim/abc");
      default -> { }
    }
    if (kind.equals("text")) {
      meta.put("text", "Credits: 4960");
    }
    return meta;
  }

  /** What MediaProbe reads from a stored file (OutputKeeper merges it over the plugin's meta). */
  static JsonObject probed(String kind) {
    return switch (kind) {
      case "image" -> new JsonObject().put("mime", "image/png").put("bytes", 123_456).put("width", 2048).put("height", 2048);
      case "video" -> new JsonObject().put("mime", "video/mp4").put("bytes", 4_567_890).put("width", 1280).put("height", 720)
          .put("duration_ms", 5_042);
      case "model" -> new JsonObject().put("mime", "model/gltf-binary").put("bytes", 98_765);
      default -> new JsonObject();
    };
  }

  static Stream<Path> manifests() throws IOException {
    try (Stream<Path> files = Files.list(MANIFESTS)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifests")
  void every_variable_a_template_prints_is_supplied_and_not_empty(Path file) {
    LoadResult loaded = SkillLoader.create(null).withoutExamples().load(file);
    assertThat(loaded.ok()).as(file + " loads: " + loaded.problems()).isTrue();
    Skill skill = loaded.skill();
    TaskMessages messages = new TaskMessages(SkillLookup.of(() -> List.of(skill)), () -> "http://127.0.0.1:8080");
    Map<String, String> kinds = KINDS.getOrDefault(skill.id(), Map.of());
    assertThat(kinds.keySet()).as(file + ": every operation needs its output kind in KINDS")
        .containsAll(skill.operations().keySet());

    Set<String> problems = new LinkedHashSet<>();
    Set<String> rendered = new TreeSet<>();
    Set<String> locales = new TreeSet<>(skill.locales());
    skill.templates().values().forEach(t -> locales.addAll(t.byLocale().keySet()));
    for (SkillOperation op : skill.operations().values()) {
      for (String locale : locales) {
        for (String kind : kinds.get(op.name()).split("\\|")) {
          for (TaskMessages.Message m : messagesOf(messages, skill, op, kind, locale)) {
            rendered.add(m.template());
            check(file, skill, m.template(), locale, m.vars(), problems);
          }
        }
      }
    }
    skill.template("login").ifPresent(t -> {
      rendered.add("login");
      for (String locale : locales) {
        check(file, skill, "login", locale, Messages.loginVariables(skill, "https://sign.in/device?code=ABCD", "ABCD"),
            problems);
      }
    });
    assertThat(problems).as(file + ": template variables").isEmpty();

    // every template a task can speak with was reached above (x.* ones are the skill's own, not the host's)
    Set<String> unreached = new TreeSet<>(skill.templates().keySet());
    unreached.removeAll(rendered);
    unreached.removeIf(name -> name.startsWith("x."));
    assertThat(unreached).as(file + ": templates no task of its operations renders").isEmpty();
  }

  @org.junit.jupiter.api.Test
  void a_chatart_image_says_the_chosen_resolution_and_what_it_cost_in_chinese() {
    Skill skill = SkillLoader.create(null).withoutExamples().load(MANIFESTS.resolve("chatart.yaml")).skill();
    TaskMessages messages = new TaskMessages(SkillLookup.of(() -> List.of(skill)), () -> "http://127.0.0.1:8080");
    SkillOperation op = skill.operation("text2image").orElseThrow();
    List<String> said = messagesOf(messages, skill, op, "image", "zh-CN").stream()
        .filter(m -> m.template().equals("result.image"))
        .map(m -> Messages.render(skill, m.template(), "zh-CN", m.vars()).orElseThrow().text()).toList();
    assertThat(said).singleElement().asString()
        .contains("• 分辨率:2K (2048×2048)")
        .contains("• 消耗:40 credits")
        .contains("http://127.0.0.1:8080/v1/files/" + FILE_ID);
  }

  @org.junit.jupiter.api.Test
  void a_result_and_a_failure_are_told_by_the_final_state_event_only() {
    Skill skill = SkillLoader.create(null).withoutExamples().load(MANIFESTS.resolve("chatart.yaml")).skill();
    TaskMessages messages = new TaskMessages(SkillLookup.of(() -> List.of(skill)), () -> "http://127.0.0.1:8080");
    JsonObject output = new JsonObject().put("kind", "video").put("file", FILE_ID).put("meta", probed("video"));
    Task done = task(skill, "t2v", new JsonObject(), "zh").withOutputs(new JsonArray().add(output))
        .withState(TaskState.SUCCEEDED, 3, 3);
    assertThat(messages.render(done, TaskEvent.OUTPUT, TaskState.SUCCEEDED, output)).isNull();
    assertThat(messages.render(done, TaskEvent.STATE, TaskState.SUCCEEDED, new JsonObject())).startsWith("🎬 视频已生成完成");
    JsonObject error = Errors.of(new ProviderException("X", 500, "boom"), skill, "zh");
    Task failed = done.withError(error).withState(TaskState.FAILED, 4, 4);
    assertThat(messages.render(failed, TaskEvent.ERROR, TaskState.FAILED, error)).isNull();
    assertThat(messages.render(failed, TaskEvent.STATE, TaskState.FAILED, new JsonObject())).startsWith("❌ 生成失败");
  }

  @org.junit.jupiter.api.Test
  void the_aspect_ratio_is_the_chosen_one_else_the_files_own() {
    JsonObject hd = new JsonObject().put("width", 1278).put("height", 720);
    assertThat(TaskMessages.aspectRatio("1:1", hd)).isEqualTo("1:1");
    assertThat(TaskMessages.aspectRatio(null, hd)).isEqualTo("16:9");
    assertThat(TaskMessages.aspectRatio(null, new JsonObject().put("width", 1080).put("height", 1920))).isEqualTo("9:16");
    assertThat(TaskMessages.aspectRatio(null, new JsonObject().put("width", 1000).put("height", 300))).isEqualTo("10:3");
    assertThat(TaskMessages.aspectRatio(null, new JsonObject())).isEmpty();
    assertThat(TaskMessages.resolution(720, new JsonObject())).isEqualTo("720p");
    assertThat(TaskMessages.resolution(null, hd)).isEqualTo("1278×720");
    assertThat(TaskMessages.number(40.0)).isEqualTo("40");
    assertThat(TaskMessages.number(12.5)).isEqualTo("12.5");
  }

  /** The messages a task of {@code op} is told in {@code locale}, from submit to its end. */
  private static List<TaskMessages.Message> messagesOf(TaskMessages messages, Skill skill, SkillOperation op,
      String kind, String locale) {
    JsonObject params = op.withDefaults(new JsonObject().put("prompt", "a red fox in the snow"));
    Task task = task(skill, op.name(), params, locale);
    List<TaskMessages.Message> all = new ArrayList<>();
    all.add(messages.message(task.withState(TaskState.RUNNING, 1, 1), skill, TaskEvent.STATE, TaskState.RUNNING,
        new JsonObject().put("from", "queued")));
    all.add(messages.message(task, skill, TaskEvent.PROGRESS, TaskState.RUNNING, new JsonObject().put("fraction", 0.42)));
    // Watch: the state event that asks for confirmation carries the provider's estimate; an operation
    // that answers text (an account, a query) spends nothing and is never confirmed
    if (!kind.equals("text")) all.add(messages.message(task, skill, TaskEvent.STATE, TaskState.AWAITING_CONFIRMATION, new JsonObject()
        .put("from", "queued").put("cost", new Estimate(40.0, "credits", new JsonObject()).toJson())));
    // Fallback: the state event of a task another skill refused before any spend, said by this skill
    if (skill.template("fallback").isPresent()) {
      JsonObject refusal = Errors.of(ProviderException.rejected("not_enough_credits", "out of credits"), skill, locale);
      all.add(messages.message(task, skill, TaskEvent.STATE, TaskState.QUEUED,
          Fallback.event("submitting", skill, skill, refusal)));
    }
    JsonObject error = Errors.of(new ProviderException("UPSTREAM_FAILED", 500, "the backend failed"), skill, locale);
    Task failed = task.withError(error).withState(TaskState.FAILED, 2, 2);
    all.add(messages.message(failed, skill, TaskEvent.STATE, TaskState.FAILED, new JsonObject().put("from", "running")));
    JsonObject output = new JsonObject().put("kind", kind).put("mime", probed(kind).getString("mime"))
        .put("meta", pluginMeta(skill.id(), kind, params).mergeIn(probed(kind)));
    if (!kind.equals("text")) {
      output.put("file", FILE_ID);
    }
    Task done = task.withOutputs(new JsonArray().add(output)).withState(TaskState.SUCCEEDED, 3, 3);
    all.add(messages.message(done, skill, TaskEvent.STATE, TaskState.SUCCEEDED, new JsonObject().put("from", "running")));
    all.removeIf(m -> m == null);
    return all;
  }

  private static Task task(Skill skill, String operation, JsonObject params, String locale) {
    return new Task("t_0123456789abcdef0123", "owner", skill.provider(), operation, skill.id(), "1.0.0",
        TaskState.QUEUED, 0, params, new JsonArray(), locale, null, new JsonArray(), null, -1, null, 0, 0, null, null);
  }

  /** {@code name} as a task in {@code asked} is told it: the variables it prints must be supplied and not empty. */
  private static void check(Path file, Skill skill, String name, String asked, Map<String, Object> vars,
      Set<String> problems) {
    Localized template = skill.template(name).orElseThrow();
    String locale = Messages.resolve(template, skill.locales(), asked).orElseThrow();
    for (String variable : printed(template.byLocale().get(locale))) {
      Object value = vars.get(variable);
      String where = file.getFileName() + ": " + name + " [" + locale + "]: {{" + variable + "}}";
      if (!vars.containsKey(variable)) {
        problems.add(where + " is not supplied (the host gives " + new TreeSet<>(vars.keySet()) + ")");
      } else if (value == null || value.toString().isBlank()) {
        problems.add(where + " renders empty (operation " + vars.get("operation") + ")");
      }
    }
  }

  /** The names a template prints as {@code {{name}}}, less those it also uses as a section (its own guard). */
  static Set<String> printed(Template t) {
    Set<String> printed = new LinkedHashSet<>();
    Set<String> sections = new LinkedHashSet<>();
    Mustache.compiler().compile(t.source()).visit(new Mustache.Visitor() {
      @Override
      public void visitText(String text) {}

      @Override
      public void visitVariable(String name) {
        printed.add(top(name));
      }

      @Override
      public boolean visitInclude(String name) {
        return false;
      }

      @Override
      public boolean visitSection(String name) {
        sections.add(top(name));
        return true;
      }

      @Override
      public boolean visitInvertedSection(String name) {
        sections.add(top(name));
        return true;
      }
    });
    printed.removeAll(sections);
    printed.remove(".");
    return printed;
  }

  private static String top(String name) {
    int dot = name.indexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
