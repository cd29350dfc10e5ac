package dev.skillhost.host.skills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.Account;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The router over the shipped manifests (skills/*.yaml): intent first, readiness second. The cases
 * a new user met, and over every shipped example, that a better intent match is never traded for a
 * ready skill.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IntentRoutingTest {

  private static final Path MANIFESTS = Path.of("..", "skills");
  private static List<Skill> shipped;

  /** Providers by id as routing sees them; absent = not loaded. */
  private final Map<String, FakeBackend> backends = new HashMap<>();

  @BeforeAll
  static void load() throws IOException {
    SkillLoader loader = SkillLoader.create(null).withoutExamples();
    shipped = new ArrayList<>();
    try (Stream<Path> files = Files.list(MANIFESTS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        LoadResult r = loader.load(f);
        assertThat(r.errors()).as("%s loads", f).isEmpty();
        shipped.add(r.skill());
      }
    }
  }

  private Router router() {
    return Router.over(() -> shipped, id -> Optional.ofNullable(backends.get(id)), Router.DEFAULT_PREFERENCE);
  }

  private RouteAnswer route(String text, Map<String, Integer> attachments, String locale) {
    return router().route(RouteRequest.of(text, attachments, locale)).toCompletionStage().toCompletableFuture().join();
  }

  private static FakeBackend signedIn() {
    return new FakeBackend().account(Future.succeededFuture(new Account("u1", 100.0, new io.vertx.core.json.JsonObject())));
  }

  @Test
  void a_ready_local_skill_doing_the_wrong_job_never_beats_character_replace_that_needs_a_sign_in() {
    backends.put("local", new FakeBackend());
    backends.put("chatart", new FakeBackend()); // loaded, not signed in

    RouteAnswer a = route("put the person from my photo into this dance video", Map.of("image", 1, "video", 1), "en");

    assertThat(a).isInstanceOf(RouteAnswer.Routed.class);
    RouteAnswer.Routed r = (RouteAnswer.Routed) a;
    assertThat(r.skill().id() + "." + r.operation()).isEqualTo("chatart.mimic");
    assertThat(r.readiness().ready()).isFalse();
    assertThat(r.toJson().getJsonObject("needs").getBoolean("login")).isTrue();
    assertThat(r.toJson().getJsonObject("needs").getString("sign_in")).isEqualTo("/v1/providers/chatart/login");
    assertThat(r.candidates()).as("local lost on the match, or its boundary answered").anySatisfy(c -> {
      assertThat(c.skill()).isEqualTo("local");
      assertThat(c.reason()).matches("(weaker match|boundary).*");
    });
  }

  @Test
  void everyday_phrasings_route_to_the_job_asked_with_the_parameters_said() {
    backends.put("local", new FakeBackend());
    backends.put("chatart", signedIn());

    RouteAnswer.Routed move = (RouteAnswer.Routed) route("can you make this picture move a little?", Map.of("image", 1), "en");
    RouteAnswer.Routed upscale = (RouteAnswer.Routed) route("upscale this image to 4k please", Map.of("image", 1), "en");
    RouteAnswer.Routed story = (RouteAnswer.Routed) route("make this photo 9:16 for a phone story", Map.of("image", 1), "en");
    RouteAnswer.Routed zh = (RouteAnswer.Routed) route("帮我生成一段十秒的竖屏视频,小猫在海边冲浪", Map.of(), "zh");

    assertThat(move.skill().id() + "." + move.operation()).isEqualTo("local.i2v");
    assertThat(upscale.skill().id() + "." + upscale.operation()).isEqualTo("local.image_edit");
    assertThat(upscale.params().getInteger("upscale")).isEqualTo(4);
    assertThat(story.skill().id() + "." + story.operation()).isEqualTo("local.image_edit");
    assertThat(story.params().getString("aspect_ratio")).isEqualTo("9:16");
    assertThat(story.toJson().getJsonArray("from_words").getJsonObject(0).getString("words")).isNotBlank();
    assertThat(zh.skill().id() + "." + zh.operation()).isEqualTo("chatart.t2v");
    assertThat(zh.params().getInteger("duration")).isEqualTo(10);
    assertThat(zh.params().getString("aspect_ratio")).isEqualTo("9:16");
  }

  @Test
  void different_jobs_that_fit_equally_are_a_question_in_the_users_language() {
    backends.put("local", new FakeBackend());
    backends.put("chatart", signedIn());

    RouteAnswer en = route("make it better", Map.of("image", 1), "en");
    RouteAnswer zh = route("这张图帮我优化一下", Map.of("image", 1), "zh");

    assertThat(en).isInstanceOf(RouteAnswer.Unclear.class);
    RouteAnswer.Unclear u = (RouteAnswer.Unclear) en;
    assertThat(u.options()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(u.question()).startsWith("Do you want to ").endsWith("?").contains(", or ");
    assertThat(zh).isInstanceOf(RouteAnswer.Unclear.class);
    assertThat(((RouteAnswer.Unclear) zh).question()).startsWith("你想要").contains("还是");
  }

  /**
   * Over every shipped example the router sends to a skill's operation: make that skill's
   * provider unready (not loaded) and every other ready. When its fit is strictly better than
   * every other skill's best, it must still be the answer, unready, with what it needs.
   */
  @Test
  void readiness_never_overrides_a_better_intent_match_over_every_shipped_example() {
    int checked = 0;
    List<String> overridden = new ArrayList<>();
    for (Skill home : shipped) {
      for (Example e : home.examples()) {
        if (e.routesTo() == null || !e.routesTo().contains(".")) {
          continue;
        }
        String winner = e.routesTo().substring(0, e.routesTo().indexOf('.'));
        Skill w = shipped.stream().filter(s -> s.id().equals(winner)).findFirst().orElseThrow();
        SkillMatcher.Request req = new SkillMatcher.Request(e.text(), e.attachments(), e.locale());
        Optional<SkillMatcher.Match> mine = SkillMatcher.match(w, req);
        if (mine.isEmpty() || mine.get().isUnsupported()) {
          continue;
        }
        double best = mine.get().fit().score();
        boolean strictlyBest = shipped.stream().filter(s -> !s.id().equals(winner))
            .map(s -> SkillMatcher.match(s, req))
            .allMatch(m -> m.isEmpty() || m.get().isUnsupported() || m.get().fit().score() < best);
        if (!strictlyBest) {
          continue;
        }
        backends.clear();
        shipped.forEach(s -> backends.put(s.provider(), signedIn()));
        backends.remove(w.provider());
        RouteAnswer a = route(e.text(), e.attachments(), e.locale());
        checked++;
        if (!(a instanceof RouteAnswer.Routed r) || !(r.skill().id() + "." + r.operation()).equals(e.routesTo())
            || r.readiness().ready()) {
          overridden.add(e.at() + " \"" + e.text() + "\" → " + a.toJson().getString("skill") + "." + a.toJson().getString("operation"));
        }
      }
    }
    assertThat(overridden).as("examples where readiness beat a better intent match").isEmpty();
    assertThat(checked).as("examples checked").isGreaterThan(100);
  }
}
