package dev.skillhost.libtv;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class LibTvFindingsTest {

  static JsonObject msg(long seq, String role, String content) {
    return new JsonObject().put("id", "msg-" + seq).put("seq", seq).put("role", role).put("content", content);
  }

  @Test
  void results_come_from_task_result_and_allowlisted_assistant_urls_deduplicated_in_order() {
    String v = "https://libtv-res.liblib.art/sd-gen-save-img/p/v.mp4";
    JsonArray m = new JsonArray()
        .add(msg(6, "assistant", "正在生成…"))
        .add(msg(7, "tool", "{\"task_result\":{\"videos\":[{\"previewPath\":\"" + v + "\"}],\"images\":[{\"url\":\"https://libtv-res.liblib.art/claw/p/i.png\"}]}}"))
        .add(msg(8, "assistant", "完成：" + v + "。另见 https://medeo-res.liblib.art/x.mp4"));
    LibTvFindings f = LibTvFindings.read(m, 5, List.of(), "video");
    assertThat(f.results()).extracting(LibTvFindings.Result::url)
        .containsExactly(v, "https://libtv-res.liblib.art/claw/p/i.png");
    assertThat(f.results()).extracting(LibTvFindings.Result::kind).containsExactly("video", "image");
    assertThat(f.lastSeq()).isEqualTo(8);
    assertThat(f.failure()).isNull();
  }

  @Test
  void assistant_text_outside_the_allowlist_is_not_a_result_and_trailing_punctuation_is_cut() {
    JsonArray m = new JsonArray()
        .add(msg(1, "assistant", "代理地址 https://medeo-res.liblib.art/proxy/a.mp4"))
        .add(msg(2, "assistant", "好了:https://libtv-res.liblib.art/claw/p/b.webp,请查收"));
    LibTvFindings f = LibTvFindings.read(m, 0, List.of(), "video");
    assertThat(f.results()).extracting(LibTvFindings.Result::url).containsExactly("https://libtv-res.liblib.art/claw/p/b.webp");
  }

  @Test
  void the_tasks_own_reference_urls_echoed_back_are_not_results() {
    String ref = "https://libtv-res.liblib.art/claw/p/ref.png";
    LibTvFindings f = LibTvFindings.read(new JsonArray().add(msg(3, "assistant", "收到参考素材：" + ref)), 2, List.of(ref), "video");
    assertThat(f.results()).isEmpty();
  }

  @Test
  void messages_at_or_below_after_seq_are_ignored_even_if_the_backend_resends_them() {
    LibTvFindings f = LibTvFindings.read(new JsonArray()
        .add(msg(4, "assistant", "https://libtv-res.liblib.art/claw/p/old.mp4")), 4, List.of(), "video");
    assertThat(f.results()).isEmpty();
    assertThat(f.lastSeq()).isEqualTo(4);
  }

  @Test
  void failures_are_read_from_a_failed_task_result_an_error_message_and_failure_words() {
    assertThat(LibTvFindings.read(new JsonArray().add(msg(1, "tool",
        "{\"task_result\":{\"status\":\"failed\",\"error_message\":\"审核未通过\"}}")), 0, List.of(), "video").failure())
        .isEqualTo("审核未通过");
    assertThat(LibTvFindings.read(new JsonArray().add(msg(1, "assistant", "busy").put("type", "error")), 0, List.of(), "video")
        .failure()).isEqualTo("busy");
    assertThat(LibTvFindings.read(new JsonArray().add(msg(1, "assistant", "抱歉，视频生成失败")), 0, List.of(), "video")
        .failure()).contains("生成失败");
    assertThat(LibTvFindings.read(new JsonArray().add(msg(1, "tool", "{\"tool\":\"gen\",\"status\":\"running\"}")), 0,
        List.of(), "video").failure()).isNull();
  }
}
