package dev.skillhost.contract.mcp;

import static dev.skillhost.contract.mcp.McpJavaFixture.call;
import static dev.skillhost.contract.mcp.McpJavaFixture.structured;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Task resources through the official Java SDK client: the two templates, the outputs of the
 * key's recent tasks in resources/list, and resources/subscribe → notifications/resources/updated
 * when a task ends (the SDK reads the resource again on each update and hands over its contents).
 */
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class McpJavaResourcesTest extends McpJavaTestBase {


  @Test
  void templates_and_the_outputs_of_recent_tasks_are_listed(VertxTestContext ctx) {
    McpSyncClient c = f.open();
    JsonObject done = structured(call(c, "sim_text2image", Map.of("prompt", "a lighthouse", "duration_ms", 100, "wait_s", 20)));
    List<String> templates = c.listResourceTemplates().resourceTemplates().stream()
        .map(McpSchema.ResourceTemplate::uriTemplate).toList();
    List<McpSchema.Resource> listed = c.listResources().resources();
    ctx.verify(() -> {
      assertThat(done.getString("state")).as(done.encodePrettily()).isEqualTo("succeeded");
      assertThat(templates).hasSize(2);
      assertThat(templates).anySatisfy(t -> assertThat(t).startsWith("skillhost://tasks/{").endsWith("}"));
      assertThat(templates).anySatisfy(t -> assertThat(t).startsWith("skillhost://tasks/{").contains("/outputs/{"));
      String uri = done.getJsonArray("outputs").getJsonObject(0).getString("uri");
      assertThat(listed).anySatisfy(r -> {
        assertThat(r.uri()).isEqualTo(uri);
        assertThat(r.mimeType()).isEqualTo(done.getJsonArray("outputs").getJsonObject(0).getString("mime"));
      });
    });
    ctx.completeNow();
  }

  @Test
  void a_subscribed_task_sends_resources_updated_when_it_ends(VertxTestContext ctx) throws Exception {
    CompletableFuture<List<McpSchema.ResourceContents>> ended = new CompletableFuture<>();
    McpSyncClient c = f.open(s -> s.resourcesUpdateConsumer(contents -> {
      boolean finished = contents.stream().anyMatch(r -> r instanceof McpSchema.TextResourceContents t
          && "succeeded".equals(new JsonObject(t.text()).getString("state")));
      if (finished) {
        ended.complete(contents);
      }
    }));
    String id = structured(call(c, "sim_t2v", Map.of("prompt", "watch me", "duration_ms", 1_500))).getString("task_id");
    c.subscribeResource(new McpSchema.SubscribeRequest("skillhost://tasks/" + id));
    List<McpSchema.ResourceContents> contents = ended.get(25, TimeUnit.SECONDS);
    ctx.verify(() -> assertThat(contents.get(0).uri()).isEqualTo("skillhost://tasks/" + id));
    ctx.completeNow();
  }
}
