package dev.skillhost.host.skills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.Account;
import dev.skillhost.api.Estimate;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Routing over hand-built skills and fake providers: who wins, why the others lost, and what the answer says. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RouterTest {

  private static final Map<String, Integer> IMAGE = Map.of("image", 1);

  private final Map<String, FakeBackend> loaded = new HashMap<>();
  private List<String> preference = Router.DEFAULT_PREFERENCE;
  private List<Skill> skills = TestSkills.world();

  @BeforeEach
  void fresh_machine() {
    loaded.put("local", new FakeBackend());
    loaded.put("sim", new FakeBackend());
  }

  @Test
  void on_a_fresh_machine_animate_this_photo_goes_to_local_and_says_why_the_others_lost() {
    RouteAnswer.Routed r = routed("animate this photo", IMAGE, "en");

    assertThat(r.skill().id()).isEqualTo("local");
    assertThat(r.operation()).isEqualTo("i2v");
    assertThat(r.readiness().ready()).isTrue();
    assertThat(r.candidates()).as("in rank order: ready ones first").containsExactly(
        new RouteAnswer.Candidate("sim", "i2v", "lower in preference order"),
        new RouteAnswer.Candidate("chatart", "i2v", "provider chatart not loaded; needs login"));
  }

  @Test
  void a_request_only_a_cloud_skill_serves_names_it_and_what_it_needs() {
    RouteAnswer.Routed notLoaded = routed("design a poster for a jazz night", Map.of(), "en");
    loaded.put("lovart", new FakeBackend().secret("LOVART_ACCESS_KEY", "ak"));
    RouteAnswer.Routed oneKey = routed("design a poster for a jazz night", Map.of(), "en");

    assertThat(notLoaded.skill().id()).isEqualTo("lovart");
    assertThat(notLoaded.readiness().ready()).isFalse();
    assertThat(notLoaded.readiness().reasons())
        .containsExactly("provider lovart not loaded", "needs credentials LOVART_ACCESS_KEY, LOVART_SECRET_KEY");
    assertThat(notLoaded.toJson().getBoolean("ready")).isFalse();
    assertThat(notLoaded.toJson().getJsonObject("needs").getJsonArray("secrets").getList())
        .containsExactly("LOVART_ACCESS_KEY", "LOVART_SECRET_KEY");
    assertThat(notLoaded.estimate()).isNull();
    assertThat(oneKey.readiness().reasons()).containsExactly("missing credentials LOVART_SECRET_KEY");
    assertThat(loaded.get("lovart").estimated).as("no estimate from a provider without credentials").isEmpty();
  }

  @Test
  void a_ready_provider_beats_a_preferred_one_without_credentials_then_preference_decides() {
    loaded.put("lovart", new FakeBackend());
    RouteAnswer.Routed noKeys = routed("make a video of the sea", Map.of(), "en");
    loaded.get("lovart").secret("LOVART_ACCESS_KEY", "ak").secret("LOVART_SECRET_KEY", "sk");
    RouteAnswer.Routed withKeys = routed("make a video of the sea", Map.of(), "en");

    assertThat(noKeys.skill().id()).isEqualTo("sim");
    assertThat(noKeys.candidates())
        .containsExactly(new RouteAnswer.Candidate("lovart", "t2v", "missing credentials LOVART_ACCESS_KEY, LOVART_SECRET_KEY"));
    assertThat(withKeys.skill().id()).isEqualTo("lovart");
    assertThat(withKeys.candidates()).containsExactly(new RouteAnswer.Candidate("sim", "t2v", "lower in preference order"));
  }

  @Test
  void a_login_skill_needs_login_until_its_account_call_names_an_account() {
    preference = List.of("chatart", "local", "sim");
    loaded.put("chatart", new FakeBackend().account(Future.failedFuture(new ProviderException("unauthorized", 401, "log in first"))));
    RouteAnswer.Routed signedOut = routed("animate this photo", IMAGE, "en");
    loaded.get("chatart").account(Future.succeededFuture(new Account("user-7", 120.0, null)));
    RouteAnswer.Routed signedIn = routed("animate this photo", IMAGE, "en");

    assertThat(signedOut.skill().id()).isEqualTo("local");
    assertThat(signedOut.candidates()).contains(new RouteAnswer.Candidate("chatart", "i2v", "needs login"));
    assertThat(signedIn.skill().id()).isEqualTo("chatart");
    assertThat(signedIn.candidates()).containsExactly(
        new RouteAnswer.Candidate("local", "i2v", "lower in preference order"),
        new RouteAnswer.Candidate("sim", "i2v", "lower in preference order"));
  }

  @Test
  void skills_outside_the_preference_order_go_by_file_order() {
    skills = List.of(TestSkills.skill("zeta").route(TestConditions.keywords("video"), "t2v").build(),
        TestSkills.skill("alpha").route(TestConditions.keywords("video"), "t2v").build());
    loaded.put("zeta", new FakeBackend());
    loaded.put("alpha", new FakeBackend());

    RouteAnswer.Routed r = routed("a video", Map.of(), "en");

    assertThat(r.skill().id()).isEqualTo("zeta");
    assertThat(r.candidates()).containsExactly(new RouteAnswer.Candidate("alpha", "t2v", "later in file order"));
  }

  @Test
  void a_boundary_answers_when_no_skill_routes_and_is_listed_when_one_does() {
    RouteAnswer zh = answer("帮我做一个椅子的3D模型", Map.of(), "zh");
    RouteAnswer.Routed marketing = routed("make a marketing video for my shop", Map.of(), "en");

    assertThat(zh).isInstanceOf(RouteAnswer.Boundary.class);
    RouteAnswer.Boundary b = (RouteAnswer.Boundary) zh;
    assertThat(b.skill().id()).isEqualTo("sim");
    assertThat(b.message()).isEqualTo(new Localized.Rendered("模拟器不能生成 3D 模型。", "zh"));
    assertThat(b.toJson().getString("kind")).isEqualTo("unsupported");
    assertThat(marketing.skill().id()).isEqualTo("sim");
    assertThat(marketing.candidates()).contains(
        new RouteAnswer.Candidate("lovart", null, "boundary: Marketing videos are made in the Lovart web app."));
  }

  @Test
  void no_match_lists_the_nearest_routes_with_why_and_an_example() {
    RouteAnswer.NoMatch noImage = noMatch("please animate my cat", "en");
    RouteAnswer.NoMatch partial = noMatch("a premium clip of the sea", "en");
    RouteAnswer.NoMatch nothing = noMatch("what is the weather tomorrow", "en");

    assertThat(noImage.closest()).extracting(RouteAnswer.Closest::skill).startsWith("local", "chatart", "sim");
    RouteAnswer.Closest local = noImage.closest().get(0);
    assertThat(local.score()).isEqualTo(1.0);
    assertThat(local.reason()).isEqualTo("says 'animate' but needs an image attached");
    assertThat(local.example()).isEqualTo("animate this photo");
    assertThat(partial.closest().get(0)).isEqualTo(new RouteAnswer.Closest("sim", "t2v", 0.5,
        List.of("premium video"), "shares 'premium' with 'premium video'", "make a short video of a cat"));
    assertThat(nothing.closest()).as("nothing in common: one route per skill, by preference")
        .extracting(RouteAnswer.Closest::skill).containsExactly("local", "chatart", "lovart");
    assertThat(nothing.closest()).allSatisfy(c -> assertThat(c.score()).isZero());
    assertThat(nothing.toJson().getJsonArray("candidates")).hasSize(3);
  }

  @Test
  void near_routes_score_the_share_of_a_keyword_found() {
    skills = List.of(TestSkills.skill("s").route(TestConditions.keywords("image to video"), "i2v").build());

    RouteAnswer.NoMatch r = noMatch("turn this image into a clip", "en");

    RouteAnswer.Closest c = r.closest().get(0);
    assertThat(c.score()).isEqualTo(0.5); // "image" of {image, video}; "to" is filler
    assertThat(c.keywords()).containsExactly("image to video");
    assertThat(c.reason()).isEqualTo("shares 'image' with 'image to video'");
  }

  @Test
  void params_are_the_defaults_then_the_route_params_and_the_eta_follows_the_model() {
    loaded.put("lovart", new FakeBackend().secret("LOVART_ACCESS_KEY", "ak").secret("LOVART_SECRET_KEY", "sk"));

    RouteAnswer.Routed seedance = routed("a seedance clip of waves", Map.of(), "en");
    RouteAnswer.Routed plain = routed("a video of waves", Map.of(), "en");

    assertThat(seedance.params()).isEqualTo(new JsonObject()
        .put("model", "seedance-2.0").put("duration", 5).put("resolution", "720p"));
    assertThat(seedance.eta()).isEqualTo(new RouteAnswer.Eta(300, 600, "about 5–10 min"));
    assertThat(seedance.message().text()).isEqualTo("Submitted to Lovart. About 5–10 min.");
    assertThat(plain.params().getString("model")).isEqualTo("kling-v3");
    assertThat(plain.eta()).isEqualTo(new RouteAnswer.Eta(180, 300, "about 3–5 min"));
    assertThat(loaded.get("lovart").estimated).extracting(j -> j.params().getString("model"))
        .containsExactly("seedance-2.0", "kling-v3");
  }

  @Test
  void confirmation_is_judged_from_the_estimate_and_unknown_without_one() {
    skills = List.of(TestSkills.sim());
    loaded.get("sim").credits(150);
    RouteAnswer.Routed over = routed("a video of a cat", Map.of(), "en");
    loaded.get("sim").credits(10);
    RouteAnswer.Routed under = routed("a video of a cat", Map.of(), "en");
    loaded.get("sim").estimate(job -> Future.failedFuture(new ProviderException("down", 503, "backend down")));
    RouteAnswer.Routed failed = routed("a video of a cat", Map.of(), "en");
    loaded.remove("sim");
    RouteAnswer.Routed unloaded = routed("a video of a cat", Map.of(), "en");
    RouteAnswer.Routed noCondition = routed("draw a cat", Map.of(), "en");

    assertThat(over.confirm()).isEqualTo(new RouteAnswer.Confirm(true, "estimate.credits > 100.0", null));
    assertThat(over.estimate()).isEqualTo(new Estimate(150.0, "credits", null));
    assertThat(over.toJson().getJsonObject("confirm").getBoolean("needed")).isTrue();
    assertThat(under.confirm().needed()).isFalse();
    assertThat(failed.confirm().needed()).isNull();
    assertThat(failed.confirm().reason()).isEqualTo("estimate failed: backend down");
    assertThat(unloaded.confirm().needed()).isNull();
    assertThat(unloaded.confirm().reason()).isEqualTo("no estimate: provider sim not loaded");
    assertThat(unloaded.toJson().getJsonObject("confirm").containsKey("needed")).isTrue();
    assertThat(noCondition.confirm()).isEqualTo(RouteAnswer.Confirm.NEVER);
  }

  @Test
  void a_confirm_rule_that_reads_no_estimate_is_judged_without_one() {
    skills = List.of(TestSkills.skill("always").operation("t2v", new JsonObject(), 3, 6, Map.of(),
        TestConditions.of("true", vars -> true)).route(TestConditions.keywords("video"), "t2v").build());

    RouteAnswer.Routed unloaded = routed("a video of a cat", Map.of(), "en");

    assertThat(unloaded.readiness().loaded()).isFalse();
    assertThat(unloaded.confirm()).isEqualTo(new RouteAnswer.Confirm(true, "true", null));
  }

  @Test
  void answers_in_the_asked_locale_or_falls_back_and_says_which_it_used() {
    RouteAnswer.Routed zh = routed("把这张图动起来", IMAGE, "zh");
    RouteAnswer.Routed zhTw = routed("把這張圖動起來 animate", IMAGE, "zh-TW");
    RouteAnswer.Routed fr = routed("animate this photo", IMAGE, "fr");
    RouteAnswer.Routed byPreference = answerRouted(new RouteRequest("animate this photo", IMAGE, List.of("fr", "zh-CN", "en")));

    assertThat(zh.message()).isEqualTo(new Localized.Rendered("正在本机生成,预计 20–40 秒。", "zh"));
    assertThat(zh.toJson().getBoolean("locale_fallback")).isFalse();
    assertThat(zhTw.locale()).isEqualTo("zh");
    assertThat(zhTw.toJson().getString("locale_asked")).isEqualTo("zh-TW");
    assertThat(zhTw.toJson().getBoolean("locale_fallback")).isTrue();
    assertThat(fr.message().text()).isEqualTo("Animating on this machine. About 20–40 s.");
    assertThat(fr.toJson().getString("locale")).isEqualTo("en");
    assertThat(fr.toJson().getBoolean("locale_fallback")).isTrue();
    assertThat(byPreference.locale()).isEqualTo("zh");
  }

  private RouteAnswer answer(String text, Map<String, Integer> attachments, String locale) {
    return answer(RouteRequest.of(text, attachments, locale));
  }

  private RouteAnswer answer(RouteRequest request) {
    Router router = Router.over(() -> skills, id -> Optional.ofNullable(loaded.get(id)), preference);
    try {
      return router.route(request).await(5, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer to " + request.text(), e);
    }
  }

  private RouteAnswer.Routed routed(String text, Map<String, Integer> attachments, String locale) {
    return answerRouted(RouteRequest.of(text, attachments, locale));
  }

  private RouteAnswer.Routed answerRouted(RouteRequest request) {
    RouteAnswer a = answer(request);
    assertThat(a).as(request.text()).isInstanceOf(RouteAnswer.Routed.class);
    return (RouteAnswer.Routed) a;
  }

  private RouteAnswer.NoMatch noMatch(String text, String locale) {
    RouteAnswer a = answer(text, Map.of(), locale);
    assertThat(a).as(text).isInstanceOf(RouteAnswer.NoMatch.class);
    return (RouteAnswer.NoMatch) a;
  }
}
