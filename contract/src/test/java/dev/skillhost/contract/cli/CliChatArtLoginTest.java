package dev.skillhost.contract.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.TestHost;
import dev.skillhost.simulators.chatart.ChatArtSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code bin/skillhost login chatart}, as a real process against the ChatArt plugin
 * and its simulator: the skill's login message with the link comes first, the "user" opens the
 * link, and the command ends once the host has seen the sign-in. Blocking, like the CLI it runs.
 */
@ExtendWith(VertxExtension.class)
class CliChatArtLoginTest {

  private static final Path REPO = Path.of("").toAbsolutePath().getParent(); // tests run in contract/
  private static final Pattern LINK = Pattern.compile("https?://\\S+");

  @TempDir Path dir;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void login_chatart_prints_the_skills_message_with_the_link_and_ends_signed_in(Vertx vertx) throws Exception {
    ChatArtSimulator sim = await(ChatArtSimulator.start(vertx, new JsonObject()));
    JsonObject config = new JsonObject().put("base_url", sim.baseUrl()).put("oss_endpoint", sim.ossEndpoint());
    TestHost host = await(TestHost.start(vertx, dir, Map.of("chatart", config), List.of("chatart")));
    try {
      ProcessBuilder pb = new ProcessBuilder("sh", REPO.resolve("bin/skillhost").toString(), "login", "chatart",
          "--locale", "en", "--url", "http://127.0.0.1:" + host.port(), "--key", host.key).redirectErrorStream(true);
      pb.environment().keySet().removeIf(k -> k.startsWith("SKILLHOST_"));
      pb.environment().put("SKILLHOST_CLASSPATH", System.getProperty("java.class.path"));
      Process cli = pb.start();
      cli.getOutputStream().close();
      List<String> lines = new ArrayList<>();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        boolean opened = false;
        while ((line = out.readLine()) != null) {
          lines.add(line);
          Matcher link = LINK.matcher(line);
          if (!opened && link.find()) {
            opened = true; // the user opens the link in a browser
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link.group())).build(),
                HttpResponse.BodyHandlers.discarding());
          }
        }
      }
      assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String all = String.join("\n", lines);
      assertThat(cli.exitValue()).as(all).isZero();
      assertThat(all).contains("ChatArt Skill is now connected to your agent").contains("Waiting for the sign-in to finish")
          .containsPattern("Signed in to chatart( as .+)?\\.$");
    } finally {
      await(host.close().eventually(sim::close));
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
