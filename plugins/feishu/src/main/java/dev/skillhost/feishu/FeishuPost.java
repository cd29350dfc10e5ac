package dev.skillhost.feishu;

/**
 * One message a delivery posts: a native video ({@code media}), an image, a file, or text.
 *
 * @param msgType Feishu's {@code msg_type}
 * @param upload  what to upload first for media/image/file, else null
 * @param text    the text of a {@code text} message, else null
 */
record FeishuPost(String msgType, FeishuApi.Upload upload, String text) {

  static FeishuPost media(FeishuApi.Upload u) {
    return new FeishuPost("media", u, null);
  }

  static FeishuPost image(FeishuApi.Upload u) {
    return new FeishuPost("image", u, null);
  }

  static FeishuPost file(FeishuApi.Upload u) {
    return new FeishuPost("file", u, null);
  }

  static FeishuPost text(String text) {
    return new FeishuPost("text", null, text);
  }
}
