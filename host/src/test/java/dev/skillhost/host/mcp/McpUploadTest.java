package dev.skillhost.host.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.HostTestBase;
import dev.skillhost.host.testing.RawMcp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A base64 upload big enough to be parsed, checked and decoded on a worker (over
 * {@link McpRoutes#LARGE_MESSAGE_BYTES}): it is stored whole, and bad base64 in it is still one
 * isError sentence.
 */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class McpUploadTest extends HostTestBase {

  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private static JsonObject upload(String data) {
    return new JsonObject().put("name", "upload").put("arguments", new JsonObject().put("data", data).put("mime", "image/png"));
  }

  @Test
  void a_large_base64_upload_is_stored_whole_and_bad_base64_is_one_sentence(Vertx vertx, VertxTestContext ctx) {
    byte[] bytes = new byte[200 * 1024];
    System.arraycopy(PNG_MAGIC, 0, bytes, 0, PNG_MAGIC.length);
    String data = Base64.getEncoder().encodeToString(bytes);
    assertThat(data.length()).isGreaterThan(McpRoutes.LARGE_MESSAGE_BYTES);
    RawMcp mcp = new RawMcp(vertx, host.port(), host.key);
    mcp.initialize(new JsonObject())
        .compose(i -> Future.all(mcp.call(1, "tools/call", upload(data)),
            mcp.call(2, "tools/call", upload("%%" + data.substring(2)))))
        .eventually(mcp::close)
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          JsonObject stored = all.<JsonObject>resultAt(0);
          assertThat(stored.getBoolean("isError")).as(stored.encode()).isFalse();
          assertThat(stored.getJsonObject("structuredContent").getLong("size")).isEqualTo(bytes.length);
          assertThat(stored.getJsonObject("structuredContent").getString("mime")).isEqualTo("image/png");
          JsonObject bad = all.<JsonObject>resultAt(1);
          assertThat(bad.getBoolean("isError")).isTrue();
          assertThat(bad.getJsonArray("content").getJsonObject(0).getString("text")).startsWith("'data' is not base64");
          ctx.completeNow();
        })));
  }
}
