package dev.skillhost.contract.nemovideo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The seed's GUI translation table, as the manifest's rewrite rules, on the agent's real replies in en and zh. */
class NemoVideoRewriteTest extends NemoVideoContractBase {

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void gui_instructions_become_what_to_ask_for_in_the_users_language(VertxTestContext ctx) {
    sim.credits(1000);
    run("generate", prompt("A lighthouse in a storm").put("export", false), "en")
        .compose(en -> events(en.getString("id")).map(ev -> {
          ctx.verify(() -> {
            String all = String.join("\n", said(ev));
            assertThat(all).contains("Your video is ready!", "Say \"export\" and I'll render the video for you.");
            assertThat(all).doesNotContainIgnoringCase("click").doesNotContain("Export button");
          });
          return null;
        }))
        .compose(v -> run("edit", prompt("add a glitch effect").put("export", false), "zh"))
        .compose(zh -> events(zh.getString("id")).map(ev -> {
          ctx.verify(() -> {
            String all = String.join("\n", said(ev));
            assertThat(all).contains("Done — I added the effect.", "说“查看轨道”即可看到时间线。");
            assertThat(all).doesNotContainIgnoringCase("click").doesNotContain("timeline panel");
          });
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }
}
