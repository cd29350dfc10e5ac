package dev.skillhost.host.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.ProviderException;
import dev.skillhost.host.plugins.ProviderCircuit;
import dev.skillhost.host.skills.LoadResult;
import dev.skillhost.host.skills.Skill;
import dev.skillhost.host.skills.SkillLoader;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The rule for "nothing was spent", on the real Lovart and ChatArt manifests: only a declaration
 * moves a task (the provider's rejected(), an error rule's spent: false), never a status code alone.
 */
class FallbackRuleTest {

  private static final Path MANIFESTS = Path.of("..", "skills");

  private static Skill load(String file) {
    LoadResult loaded = SkillLoader.create(null).withoutExamples().load(MANIFESTS.resolve(file));
    assertThat(loaded.ok()).as(file + ": " + loaded.problems()).isTrue();
    return loaded.skill();
  }

  @Test
  void declared_refusals_before_any_spend_move_and_unclear_answers_never_do() {
    Skill lovart = load("lovart.yaml");
    assertThat(lovart.fallback()).containsExactly("chatart");

    ProviderException noCredits = new ProviderException("2012", 402, "Insufficient credits");
    assertThat(Fallback.nothingSpent(noCredits, lovart)).isTrue();
    assertThat(Fallback.movable(noCredits, lovart)).isTrue();
    assertThat(Fallback.movable(new ProviderException("1429", 429, "slow down"), lovart)).isTrue();
    assertThat(Fallback.movable(ProviderException.rejected(ProviderCircuit.OPEN_CODE, "circuit open"), lovart)).isTrue();

    // may have been charged: a server error, a lost answer, a timeout
    assertThat(Fallback.nothingSpent(new ProviderException("500", 500, "internal error"), lovart)).isFalse();
    assertThat(Fallback.nothingSpent(new ProviderException("connection", 0, "Connection reset"), lovart)).isFalse();
    assertThat(Fallback.nothingSpent(new java.util.concurrent.TimeoutException("no answer"), lovart)).isFalse();
    // a 4xx nobody declared proves nothing about the spend
    assertThat(Fallback.nothingSpent(new ProviderException("x", 418, "teapot"), lovart)).isFalse();
    // nothing spent, but the request is at fault: another backend would be asked the same bad thing
    ProviderException badInput = ProviderException.rejected("invalid_params", "mode must be fast or thinking");
    assertThat(Fallback.nothingSpent(badInput, lovart)).isTrue();
    assertThat(Fallback.movable(badInput, lovart)).isFalse();
  }

  @Test
  void chatart_declares_its_sign_in_and_credit_refusals() {
    Skill chatart = load("chatart.yaml");
    assertThat(chatart.fallback()).containsExactly("lovart");
    assertThat(Fallback.movable(new ProviderException("not_signed_in", 401, "not signed in"), chatart)).isTrue();
    assertThat(Fallback.movable(ProviderException.rejected("4100", "insufficient credits"), chatart)).isTrue();
    assertThat(Fallback.movable(new ProviderException("5000", 200, "internal error"), chatart)).isFalse();
  }

  @Test
  void only_parameters_the_fallback_understands_and_the_user_chose_are_carried() {
    Skill lovart = load("lovart.yaml");
    Skill chatart = load("chatart.yaml");
    JsonObject params = new JsonObject().put("prompt", "a cat").put("mode", "fast").put("aspect_ratio", "16:9")
        .put("model", "kling-3-0");
    // from ChatArt t2v (whose default model is kling-3-0) to Lovart t2v: Lovart knows prompt and mode only
    assertThat(Fallback.carried(params, chatart.operation("t2v").orElseThrow(), lovart.operation("t2v").orElseThrow()))
        .isEqualTo(new JsonObject().put("prompt", "a cat").put("mode", "fast"));
    // from Lovart to ChatArt: Lovart's default mode stays behind, the chosen ratio and model go along
    assertThat(Fallback.carried(params, lovart.operation("t2v").orElseThrow(), chatart.operation("t2v").orElseThrow()))
        .isEqualTo(new JsonObject().put("prompt", "a cat").put("aspect_ratio", "16:9").put("model", "kling-3-0"));
  }
}
