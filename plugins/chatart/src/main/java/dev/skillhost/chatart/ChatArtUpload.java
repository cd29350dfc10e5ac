package dev.skillhost.chatart;

import dev.skillhost.api.Job;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Inputs go where the backend expects them (official {@code upload.py}): STS credentials from
 * {@code POST /web/file/get-upload-policy}, then an Alibaba Cloud OSS PutObject of the bytes under
 * {@code chat-skill-upload/<yyyyMMdd>/<name>}, signed here with the OSS header signature (HMAC-SHA1
 * over verb, Content-MD5, Content-Type, Date, the x-oss-* headers and /bucket/key) and the STS
 * token in {@code x-oss-security-token}. The object URL, with the production bucket rewritten to
 * the own CDN, is what the generate calls reference.
 */
final class ChatArtUpload {

  static final String POLICY = "/web/file/get-upload-policy";
  static final String DEFAULT_ENDPOINT = "https://{bucket}.{region}.aliyuncs.com";
  static final Map<String, String> CDN = Map.of(
      "https://files-chat-ai-figcube-com.oss-us-west-1.aliyuncs.com/", "https://files.chatartpro.com/",
      "https://oss-us-west-1.aliyuncs.com/files-chat-ai-figcube-com/", "https://files.chatartpro.com/",
      "https://files-chat-ai-ifonelab-net.oss-cn-hongkong.aliyuncs.com/", "https://files-chatartpro.ifonelab.net/");
  /** The official allow-list of extensions, by the content type the host sniffed. */
  static final Map<String, String> EXTENSIONS = Map.of(
      "image/png", "png", "image/jpeg", "jpg", "image/bmp", "bmp", "image/webp", "webp",
      "audio/mpeg", "mp3", "audio/wav", "wav", "audio/mp4", "m4a",
      "video/mp4", "mp4", "video/x-msvideo", "avi", "video/quicktime", "mov");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  private final ChatArtClient client;

  ChatArtUpload(ChatArtClient client) {
    this.client = client;
  }

  /** Uploads each input in order, answering their URLs. One STS policy serves them all. */
  Future<List<String>> upload(ProviderContext ctx, ChatArtCredentials creds, List<Job.Input> inputs) {
    if (inputs.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    for (Job.Input in : inputs) {
      if (!EXTENSIONS.containsKey(in.mime())) {
        return Future.failedFuture(ChatArtModels.invalid("ChatArt takes png, jpg, bmp, webp, mp3, wav, m4a, mp4, avi or mov, not "
            + in.mime()));
      }
    }
    return client.call(ctx, creds, HttpMethod.POST, POLICY, null).compose(data -> {
      JsonObject sts = data instanceof JsonObject d ? d.getJsonObject("Credentials") : null;
      if (sts == null || sts.getString("AccessKeyId") == null || sts.getString("bucket") == null) {
        return Future.failedFuture(new ProviderException("malformed", 0, "ChatArt's upload policy has no STS credentials"));
      }
      Future<List<String>> chain = Future.succeededFuture(new ArrayList<>());
      for (Job.Input in : inputs) {
        chain = chain.compose(urls -> put(ctx, sts, in).map(url -> {
          urls.add(url);
          return urls;
        }));
      }
      return chain;
    });
  }

  private Future<String> put(ProviderContext ctx, JsonObject sts, Job.Input in) {
    String bucket = sts.getString("bucket");
    String region = sts.getString("region", "oss-us-west-1");
    String host = region.startsWith("oss-") ? region : "oss-" + region;
    String key = "chat-skill-upload/" + DAY.format(ctx.clock().instant()) + "/"
        + in.file().substring(0, Math.min(32, in.file().length())) + "." + EXTENSIONS.get(in.mime());
    String endpoint = ctx.config().getString("oss_endpoint", DEFAULT_ENDPOINT)
        .replace("{bucket}", bucket).replace("{region}", host);
    String objectUrl = endpoint + "/" + key;
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ctx.clock().instant().atZone(ZoneOffset.UTC));
    Map<String, String> ossHeaders = new TreeMap<>();
    ossHeaders.put("x-oss-security-token", sts.getString("SecurityToken", ""));
    String authorization = "OSS " + sts.getString("AccessKeyId") + ":"
        + sign(sts.getString("AccessKeySecret", ""), "PUT", "", in.mime(), date, ossHeaders, "/" + bucket + "/" + key);
    return ctx.artifacts().path(in.file())
        .compose(path -> ctx.vertx().fileSystem().readFile(path.toString()))
        .compose(bytes -> client.web().requestAbs(HttpMethod.PUT, objectUrl).timeout(ChatArtClient.TIMEOUT_MS)
            .putHeader("Content-Type", in.mime())
            .putHeader("Date", date)
            .putHeader("x-oss-security-token", ossHeaders.get("x-oss-security-token"))
            .putHeader("Authorization", authorization)
            .sendBuffer(bytes).recover(ChatArtClient::network))
        .map(res -> {
          if (res.statusCode() != 200) {
            throw new ProviderException("oss_" + ossCode(res.bodyAsString()), res.statusCode(),
                "the upload to ChatArt's storage was refused: " + res.bodyAsString());
          }
          return publicUrl(objectUrl);
        });
  }

  /** The OSS header signature (the "OSS accessKeyId:signature" scheme). */
  static String sign(String secret, String verb, String contentMd5, String contentType, String date,
      Map<String, String> ossHeaders, String resource) {
    StringBuilder s = new StringBuilder().append(verb).append('\n').append(contentMd5).append('\n')
        .append(contentType).append('\n').append(date).append('\n');
    new TreeMap<>(ossHeaders).forEach((k, v) -> s.append(k.toLowerCase(Locale.ROOT)).append(':').append(v.trim()).append('\n'));
    s.append(resource);
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(s.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String publicUrl(String objectUrl) {
    for (Map.Entry<String, String> e : CDN.entrySet()) {
      if (objectUrl.startsWith(e.getKey())) {
        return e.getValue() + objectUrl.substring(e.getKey().length());
      }
    }
    return objectUrl;
  }

  private static String ossCode(String xml) {
    int a = xml == null ? -1 : xml.indexOf("<Code>");
    int b = a < 0 ? -1 : xml.indexOf("</Code>", a);
    return b < 0 ? "error" : xml.substring(a + 6, b);
  }
}
