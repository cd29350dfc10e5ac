package dev.skillhost.chatart;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The backend's text fields as the official client reads them, and the CDN form of an upload. */
class ChatArtEnvelopeTest {

  @Test
  void a_refusal_reads_msg_then_message_then_the_fallback() {
    assertThat(ChatArtClient.text(new JsonObject().put("code", 1054).put("msg", "device not bound").put("message", "x"), "f"))
        .isEqualTo("device not bound");
    assertThat(ChatArtClient.text(new JsonObject().put("code", "4100").put("message", "Not enough credits"), "f"))
        .isEqualTo("Not enough credits");
    assertThat(ChatArtClient.text(new JsonObject().put("code", 5000).put("msg", "").put("message", 7), "ChatArt error 5000"))
        .isEqualTo("ChatArt error 5000");
  }

  @Test
  void both_aliyun_forms_of_the_production_bucket_become_the_cdn_url() {
    String key = "chat-skill-upload/20261203/a.png";
    assertThat(ChatArtUpload.publicUrl("https://files-chat-ai-figcube-com.oss-us-west-1.aliyuncs.com/" + key))
        .isEqualTo("https://files.chatartpro.com/" + key);
    assertThat(ChatArtUpload.publicUrl("https://oss-us-west-1.aliyuncs.com/files-chat-ai-figcube-com/" + key))
        .isEqualTo("https://files.chatartpro.com/" + key);
    assertThat(ChatArtUpload.publicUrl("http://127.0.0.1:1/files-chat-ai-figcube-com/" + key))
        .isEqualTo("http://127.0.0.1:1/files-chat-ai-figcube-com/" + key);
  }
}
