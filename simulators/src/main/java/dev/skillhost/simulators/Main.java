package dev.skillhost.simulators;

import dev.skillhost.simulators.chatart.ChatArtSimulator;
import dev.skillhost.simulators.feishu.FeishuSimulator;
import dev.skillhost.simulators.libtv.LibTvSimulator;
import dev.skillhost.simulators.lovart.LovartScript;
import dev.skillhost.simulators.lovart.LovartSimulator;
import dev.skillhost.simulators.nemovideo.NemoVideoSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * Runs the four backend simulators and the Feishu chat simulator on 127.0.0.1 (free ports) with demo credentials, and prints
 * the {@code providers:} section of a host configuration that points the real plugins at them,
 * then a comment line {@code # ready}. {@code make demo} starts it before the host; so can anyone who wants
 * to try the cloud skills with no account:
 *
 * <pre>java -cp "simulators/target/skillhost-simulators-0.1.0.jar:host/target/lib/*" dev.skillhost.simulators.Main</pre>
 */
public final class Main {

  static final String CHATART_UID = "id_demo";
  static final String CHATART_KEY = "sk-chatart-demo";
  static final String LOVART_AK = "ak_demo";
  static final String LOVART_SK = "sk_demo";
  static final String FEISHU_APP = "cli_demo";
  static final String FEISHU_SECRET = "feishu-demo-secret";

  private Main() {}

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    LovartSimulator.Options lovart = new LovartSimulator.Options();
    lovart.accessKey = LOVART_AK;
    lovart.secretKey = LOVART_SK;
    lovart.script = LovartScript.image(2_000);
    Future<ChatArtSimulator> chatart = ChatArtSimulator.start(vertx, new JsonObject().put("polls_until_done", 2));
    Future<LovartSimulator> lov = LovartSimulator.start(vertx, lovart);
    Future<NemoVideoSimulator> nemo = NemoVideoSimulator.start(vertx,
        new NemoVideoSimulator.Options(0, 1_500, 500, 1_000, Duration.ofDays(7), 10));
    Future<LibTvSimulator> libtv = LibTvSimulator.start(vertx, new JsonObject().put("step_ms", 500));
    Future<FeishuSimulator> feishu = FeishuSimulator.start(vertx, new JsonObject().put("app_id", FEISHU_APP)
        .put("app_secret", FEISHU_SECRET).put("any_receiver", true));
    Future.all(List.of(chatart, lov, nemo, libtv, feishu)).onSuccess(all -> {
      chatart.result().account(CHATART_UID, CHATART_KEY, 1_000);
      String lv = libtv.result().baseUrl();
      System.out.println("providers:");
      System.out.println("  chatart: {base_url: " + chatart.result().baseUrl() + ", oss_endpoint: \""
          + chatart.result().ossEndpoint() + "\", secrets: {CHATARTPRO_UID: " + CHATART_UID
          + ", CHATARTPRO_API_KEY: " + CHATART_KEY + "}}");
      System.out.println("  lovart: {base_url: " + lov.result().baseUrl() + ", secrets: {LOVART_ACCESS_KEY: "
          + LOVART_AK + ", LOVART_SECRET_KEY: " + LOVART_SK + "}}");
      System.out.println("  nemovideo: {api_url: " + nemo.result().baseUrl() + ", web_url: " + nemo.result().baseUrl() + "}");
      System.out.println("  libtv: {gateway_url: " + lv + ", direct_url: " + lv + ", secrets: {LIBTV_ACCESS_KEY: "
          + LibTvSimulator.DEMO_GATEWAY_KEY + "}}");
      System.out.println("  feishu: {base_url: " + feishu.result().baseUrl() + ", secrets: {FEISHU_APP_ID: " + FEISHU_APP
          + ", FEISHU_APP_SECRET: " + FEISHU_SECRET + "}}");
      System.out.println("# ready");
      System.out.flush();
    }).onFailure(e -> {
      System.err.println("simulators could not start: " + e.getMessage());
      vertx.close();
      System.exit(1);
    });
  }
}
