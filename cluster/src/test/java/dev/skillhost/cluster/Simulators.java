package dev.skillhost.cluster;

import dev.skillhost.simulators.SpendLedger;
import dev.skillhost.simulators.libtv.LibTvSimulator;
import dev.skillhost.simulators.lovart.LovartScript;
import dev.skillhost.simulators.lovart.LovartSimulator;
import dev.skillhost.simulators.nemovideo.NemoVideoSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cloud backends' simulators in the test's JVM on 127.0.0.1, shared by every node of a
 * cluster (one backend, many hosts, as in production), and the {@code providers:} section that
 * points the real plugins at them. Only strings go into that section: a YAML file gives every
 * value to a plugin as a string, and the plugins read their numeric knobs as JSON numbers.
 */
public final class Simulators {

  static final String LOVART_AK = "ak_cluster";
  static final String LOVART_SK = "sk_cluster";

  /** The simulators' timing and limit knobs, each their own config. */
  public static final class Options {
    /** A Lovart message runs uniformly between these (ms). */
    public long lovartRunMs = 1_500;
    public long lovartRunMsMax = 4_000;
    /** Lovart's documented limits unless a test changes them (chat per minute/hour, query per minute/hour). */
    public long[] lovartLimits = {60, 600, 300, 3000};
    /** Time between the LibTV agent's messages. */
    public long libtvStepMs = 300;
    /** How long NemoVideo's generation tool runs. */
    public long nemoGenerateMs = 1_500;

    public Options lovartLimits(long chatMin, long chatHour, long queryMin, long queryHour) {
      lovartLimits = new long[] {chatMin, chatHour, queryMin, queryHour};
      return this;
    }

    /** The same limits, as the Lovart plugin's {@code skillhost.lovart.limits} system property. */
    public String lovartLimitsProperty() {
      return lovartLimits[0] + "," + lovartLimits[1] + "," + lovartLimits[2] + "," + lovartLimits[3];
    }
  }

  public final Options options;
  public final LovartSimulator lovart;
  public final LibTvSimulator libtv;
  public final NemoVideoSimulator nemo;

  private Simulators(Options options, LovartSimulator lovart, LibTvSimulator libtv, NemoVideoSimulator nemo) {
    this.options = options;
    this.lovart = lovart;
    this.libtv = libtv;
    this.nemo = nemo;
  }

  public static Simulators start(Vertx vertx, Options o) {
    LovartSimulator.Options lo = new LovartSimulator.Options().keys(LOVART_AK, LOVART_SK)
        .script(LovartScript.image(o.lovartRunMs)).runMsMax(o.lovartRunMsMax)
        .chatLimits(o.lovartLimits[0], o.lovartLimits[1]).queryLimits(o.lovartLimits[2], o.lovartLimits[3])
        .retryAfter(1);
    lo.credits = 1_000_000;
    LovartSimulator lovart = LovartSimulator.start(vertx, lo).await();
    LibTvSimulator libtv = LibTvSimulator.start(vertx, new JsonObject().put("step_ms", o.libtvStepMs)).await();
    NemoVideoSimulator nemo = NemoVideoSimulator.start(vertx,
        new NemoVideoSimulator.Options(0, o.nemoGenerateMs, 200, 500, Duration.ofDays(7), 1_000)).await();
    nemo.credits(1_000_000_000);
    return new Simulators(o, lovart, libtv, nemo);
  }

  /** The {@code providers:} section of every node's config. */
  public JsonObject providers() {
    return new JsonObject()
        .put("lovart", new JsonObject().put("base_url", lovart.baseUrl())
            .put("secrets", new JsonObject().put("LOVART_ACCESS_KEY", LOVART_AK).put("LOVART_SECRET_KEY", LOVART_SK)))
        .put("libtv", new JsonObject().put("gateway_url", libtv.baseUrl()).put("direct_url", libtv.baseUrl())
            .put("secrets", new JsonObject().put("LIBTV_ACCESS_KEY", LibTvSimulator.DEMO_GATEWAY_KEY)))
        .put("nemovideo", new JsonObject().put("api_url", nemo.baseUrl()).put("web_url", nemo.baseUrl()));
  }

  /** Each backend's spend ledger, by provider id. */
  public Map<String, SpendLedger> ledgers() {
    Map<String, SpendLedger> m = new LinkedHashMap<>();
    m.put("lovart", lovart.spends());
    m.put("libtv", libtv.spends());
    m.put("nemovideo", nemo.spends());
    return m;
  }

  public void close() {
    lovart.close().await();
    libtv.close().await();
    nemo.close().await();
  }
}
