package dev.skillhost.host.skills;

import static dev.skillhost.host.skills.TestConditions.creditsOver;
import static dev.skillhost.host.skills.TestConditions.imageAnd;
import static dev.skillhost.host.skills.TestConditions.keywords;
import static dev.skillhost.host.skills.TestTemplates.localized;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Skills built by hand for routing tests, and a small world of them shaped like the real
 * manifests: {@code local} (no account), {@code sim}, and the cloud skills {@code lovart}
 * (access keys) and {@code chatart} (device login). {@link #world()} lists them in file order.
 */
public final class TestSkills {

  private TestSkills() {}

  public static List<Skill> world() {
    return List.of(chatart(), local(), lovart(), sim());
  }

  public static Skill local() {
    return skill("local")
        .operation("i2v", new JsonObject().put("model", "ken-burns").put("duration", 5), 20, 40, Map.of(), null, "image")
        .route(imageAnd("animate", "make it move", "动起来"), "i2v")
        .template("submitted", localized("en", "Animating on this machine. About {{eta}}.", "zh", "正在本机生成,预计 {{eta}}。"))
        .example("animate this photo", "en", "i2v", "image")
        .example("把这张图动起来", "zh", "i2v", "image")
        .build();
  }

  public static Skill sim() {
    return skill("sim")
        .operation("i2v", new JsonObject().put("duration_ms", 3000), 3, 6, Map.of(), null, "image")
        .operation("t2v", new JsonObject().put("duration_ms", 3000), 3, 6, Map.of(), creditsOver(100))
        .operation("text2image", new JsonObject().put("duration_ms", 2000), 2, 5, Map.of(), null)
        .route(imageAnd("animate", "动起来"), "i2v")
        .route(keywords("premium video", "高级视频"), "t2v", new JsonObject().put("cost", 150))
        .route(keywords("video", "视频"), "t2v")
        .route(keywords("draw", "picture", "图片"), "text2image")
        .boundary(keywords("3d model", "3d模型"),
            localized("en", "The simulator cannot make 3D models.", "zh", "模拟器不能生成 3D 模型。"))
        .template("submitted", localized("en", "Submitted to the simulator. About {{eta}}.", "zh", "已提交到模拟器,预计 {{eta}}。"))
        .example("make a short video of a cat", "en", "t2v")
        .example("生成一段小猫的视频", "zh", "t2v")
        .example("draw a picture of a lighthouse", "en", "text2image")
        .build();
  }

  public static Skill lovart() {
    return skill("lovart")
        .secrets("LOVART_ACCESS_KEY", "LOVART_SECRET_KEY")
        .operation("text2image", new JsonObject().put("model", "lovart-image").put("resolution", "2k"), 60, 120, Map.of(), null)
        .operation("t2v", new JsonObject().put("model", "kling-v3").put("duration", 5).put("resolution", "720p"),
            180, 300, Map.of("seedance-2.0", new int[] {300, 600}), creditsOver(0))
        .route(keywords("poster", "logo", "海报"), "text2image")
        .route(keywords("seedance"), "t2v", new JsonObject().put("model", "seedance-2.0"))
        .route(keywords("video", "视频"), "t2v")
        .boundary(keywords("marketing video", "营销视频"),
            localized("en", "Marketing videos are made in the Lovart web app.", "zh", "营销视频请在 Lovart 网页版制作。"))
        .template("submitted", localized("en", "Submitted to Lovart. About {{eta}}.", "zh", "已提交到 Lovart,预计 {{eta}}。"))
        .example("design a poster for a jazz night", "en", "text2image")
        .example("设计一张音乐节海报", "zh", "text2image")
        .build();
  }

  public static Skill chatart() {
    return skill("chatart")
        .login()
        .operation("i2v", new JsonObject().put("model", "kling-v3").put("duration", 5), 180, 300, Map.of(), null, "image")
        .route(imageAnd("animate", "image to video", "动起来"), "i2v")
        .template("submitted", localized("en", "Submitted to ChatArt. About {{eta}}.", "zh", "已提交到 ChatArt,预计 {{eta}}。"))
        .build();
  }

  public static Builder skill(String id) {
    return new Builder(id);
  }

  /** Builds a {@link Skill}; the provider is the skill id unless set. */
  public static final class Builder {
    private final String id;
    private String provider;
    private List<String> locales = List.of("en", "zh");
    private List<String> secrets = List.of();
    private boolean login;
    private final Map<String, SkillOperation> operations = new LinkedHashMap<>();
    private final List<Route> routes = new ArrayList<>();
    private final List<Unsupported> unsupported = new ArrayList<>();
    private final Map<String, Localized> templates = new HashMap<>();
    private final List<Example> examples = new ArrayList<>();

    private Builder(String id) {
      this.id = id;
      this.provider = id;
    }

    public Builder provider(String provider) {
      this.provider = provider;
      return this;
    }

    public Builder locales(String... locales) {
      this.locales = List.of(locales);
      return this;
    }

    public Builder secrets(String... names) {
      this.secrets = List.of(names);
      return this;
    }

    public Builder login() {
      this.login = true;
      return this;
    }

    public Builder operation(String name, JsonObject defaults, int low, int high, Map<String, int[]> models,
        Condition confirm, String... requiredInputs) {
      Map<String, Boolean> inputs = new HashMap<>();
      Arrays.stream(requiredInputs).forEach(k -> inputs.put(k, true));
      inputs.put("prompt", false);
      operations.put(name, new SkillOperation(name, name + " for tests", inputs, defaults, new JsonObject(),
          new SkillOperation.Eta(low, high, models), confirm));
      return this;
    }

    public Builder route(Condition when, String to) {
      return route(when, to, new JsonObject());
    }

    public Builder route(Condition when, String to, JsonObject params) {
      routes.add(new Route(when, to, params, at()));
      return this;
    }

    public Builder boundary(Condition when, Localized message) {
      unsupported.add(new Unsupported(when, message, at()));
      return this;
    }

    public Builder template(String name, Localized message) {
      templates.put(name, message);
      return this;
    }

    public Builder example(String text, String locale, String expect, String... attachments) {
      Map<String, Integer> counts = new HashMap<>();
      Arrays.stream(attachments).forEach(k -> counts.merge(k, 1, Integer::sum));
      examples.add(new Example(text, counts, locale, expect, at()));
      return this;
    }

    public Skill build() {
      return new Skill(id, "1.0.0", provider, id + " for tests", locales, new Skill.Requirements(secrets, login),
          operations, routes, unsupported, templates, List.of(), List.of(), List.of(), examples, new Position(id + ".yaml", 1, 1));
    }

    private Position at() {
      return new Position(id + ".yaml", routes.size() + unsupported.size() + 10, 5);
    }
  }
}
