package dev.skillhost.host.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.boot.Host;
import dev.skillhost.host.plugins.HostProviderContext;
import dev.skillhost.host.plugins.PluginHost;
import dev.skillhost.host.plugins.PluginHostOptions;
import dev.skillhost.host.skills.Router;
import dev.skillhost.host.skills.Skill;
import dev.skillhost.host.skills.TestSkills;
import dev.skillhost.host.store.Database;
import dev.skillhost.host.store.FileStore;
import dev.skillhost.host.store.HostArtifacts;
import dev.skillhost.host.testing.PluginJarBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/route} and {@code GET /v1/skills} over real HTTP, behind the real auth, body and
 * problem handlers, with the real sim plugin loaded (so its estimate decides confirmation) and a
 * cloud skill, lovart, whose provider is not.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class RouteApiTest {

  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
  static final List<Skill> SKILLS = List.of(TestSkills.lovart(), TestSkills.sim());

  @TempDir Path dir;
  /** The skills the router sees in this test. */
  List<Skill> world = SKILLS;
  Database db;
  FileStore files;
  PluginHost plugins;
  HttpClient http;
  HttpServer server;
  WebClient client;
  String key;
  String otherKey;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) throws IOException {
    key = ApiKeys.loadOrCreate(dir).createdKey().orElseThrow();
    otherKey = ApiKeys.newKey();
    Files.writeString(dir.resolve(ApiKeys.FILE_NAME), otherKey + "\n", StandardOpenOption.APPEND);
    ApiKeys keys = ApiKeys.loadOrCreate(dir);
    PluginJarBuilder.simJar(Files.createDirectories(dir.resolve("plugins")), "sim.jar", "1.0.0");
    db = Database.open(vertx, dir.resolve("skillhost.db"));
    http = vertx.createHttpClient();
    client = WebClient.create(vertx);
    FileStore.open(vertx, db, dir.resolve("files"), dir.resolve("tmp")).compose(f -> {
      files = f;
      return PluginHost.start(vertx, PluginHostOptions.of(dir.resolve("plugins"), dir.resolve("plugin-work"),
          Host.VERSION, id -> new HostProviderContext(vertx, http, null, new HostArtifacts(f),
              dir.resolve("providers").resolve(id), Clock.systemUTC(), id)));
    }).compose(p -> {
      plugins = p;
      io.vertx.ext.web.Router web = io.vertx.ext.web.Router.router(vertx);
      web.route().failureHandler(ProblemHandler::handle);
      web.errorHandler(404, ProblemHandler::handle);
      web.route("/v1/*").handler(Auth.handler(keys));
      web.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
      new RouteRoutes(new Router(() -> world, p::provider, Router.DEFAULT_PREFERENCE), files).mount(web);
      new SkillRoutes(() -> List.of(new JsonObject().put("id", "sim").put("file", "sim.yaml").put("state", "live")),
          id -> SKILLS.stream().filter(s -> s.id().equals(id)).findFirst()).mount(web);
      return vertx.createHttpServer().requestHandler(web).listen(0);
    }).onComplete(ctx.succeeding(s -> {
      server = s;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(Vertx vertx, VertxTestContext ctx) {
    client.close();
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    closed.eventually(() -> plugins == null ? Future.succeededFuture() : plugins.close())
        .eventually(http::close)
        .eventually(() -> vertx.executeBlocking(() -> {
          db.close();
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void routes_in_english_with_params_eta_estimate_and_confirmation(VertxTestContext ctx) {
    world = List.of(TestSkills.sim());
    route(new JsonObject().put("text", "make a premium video of a cat").put("locale", "en"), null)
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
          JsonObject a = r.bodyAsJsonObject();
          assertThat(a.getString("kind")).isEqualTo("route");
          assertThat(a.getString("skill")).isEqualTo("sim");
          assertThat(a.getString("provider")).isEqualTo("sim");
          assertThat(a.getString("operation")).isEqualTo("t2v");
          assertThat(a.getJsonObject("params")).isEqualTo(new JsonObject().put("duration_ms", 3000).put("cost", 150));
          assertThat(a.getJsonObject("eta")).isEqualTo(new JsonObject().put("low_s", 3).put("high_s", 6).put("text", "about 3–6 s"));
          assertThat(a.getJsonObject("estimate").getDouble("credits")).isEqualTo(150.0);
          assertThat(a.getJsonObject("estimate").getString("unit")).isEqualTo("sim_credits");
          assertThat(a.getJsonObject("confirm").getBoolean("needed")).isTrue();
          assertThat(a.getJsonObject("confirm").getString("condition")).isEqualTo("estimate.credits > 100.0");
          assertThat(a.getBoolean("ready")).isTrue();
          assertThat(a.getString("message")).isEqualTo("Submitted to the simulator. About 3–6 s.");
          assertThat(a.getString("locale")).isEqualTo("en");
          assertThat(a.getBoolean("locale_fallback")).isFalse();
          assertThat(a.getJsonArray("candidates")).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void a_simulator_gives_way_to_a_real_skill_and_the_answer_says_what_that_skill_needs(VertxTestContext ctx) {
    // an equal fit ("video" in both); sim's "premium video" would be the better one and win
    route(new JsonObject().put("text", "make a video of a cat").put("locale", "en"), null)
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
          JsonObject a = r.bodyAsJsonObject();
          assertThat(a.getString("skill")).isEqualTo("lovart");
          assertThat(a.getBoolean("ready")).isFalse();
          assertThat(a.getJsonObject("needs").getJsonArray("reasons").encode())
              .contains("provider lovart not loaded", "LOVART_ACCESS_KEY");
          assertThat(a.getJsonArray("candidates")).containsExactly(new JsonObject().put("skill", "sim")
              .put("operation", "t2v").put("reason", "simulated provider: used only when no real skill matches"));
          ctx.completeNow();
        })));
  }

  @Test
  void routes_in_chinese_from_accept_language_and_says_it_fell_back_from_zh_tw(VertxTestContext ctx) {
    world = List.of(TestSkills.sim());
    route(new JsonObject().put("text", "生成一段小猫的视频"), "zh-TW,zh;q=0.9,en;q=0.5")
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
          JsonObject a = r.bodyAsJsonObject();
          assertThat(a.getString("operation")).isEqualTo("t2v");
          assertThat(a.getString("message")).isEqualTo("已提交到模拟器,预计 3–6 秒。");
          assertThat(a.getJsonObject("eta").getString("text")).isEqualTo("约 3–6 秒");
          assertThat(a.getJsonObject("confirm").getBoolean("needed")).isFalse();
          assertThat(a.getString("locale")).isEqualTo("zh");
          assertThat(a.getString("locale_asked")).isEqualTo("zh-TW");
          assertThat(a.getBoolean("locale_fallback")).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  void an_unknown_locale_falls_back_to_the_skills_first_and_says_so(VertxTestContext ctx) {
    route(new JsonObject().put("text", "make a video of a cat").put("locale", "fr"), "zh")
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject a = r.bodyAsJsonObject();
          assertThat(a.getString("message")).as("the body's locale wins over the header").startsWith("Submitted");
          assertThat(a.getString("locale")).isEqualTo("en");
          assertThat(a.getString("locale_asked")).isEqualTo("fr");
          assertThat(a.getBoolean("locale_fallback")).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  void a_capability_boundary_is_a_200_with_its_message(VertxTestContext ctx) {
    route(new JsonObject().put("text", "帮我做一个椅子的3D模型").put("locale", "zh"), null)
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).isEqualTo(200);
          JsonObject a = r.bodyAsJsonObject();
          assertThat(a.getString("kind")).isEqualTo("unsupported");
          assertThat(a.getString("skill")).isEqualTo("sim");
          assertThat(a.getString("message")).isEqualTo("模拟器不能生成 3D 模型。");
          ctx.completeNow();
        })));
  }

  @Test
  void no_route_is_a_422_with_the_closest_candidates(VertxTestContext ctx) {
    Future.all(
            route(new JsonObject().put("text", "please animate my cat"), null),
            route(new JsonObject().put("text", "what is the weather tomorrow"), null))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          HttpResponse<Buffer> noImage = all.resultAt(0);
          assertProblem(noImage, 422, "no-route");
          JsonObject problem = noImage.bodyAsJsonObject();
          JsonObject first = problem.getJsonArray("candidates").getJsonObject(0);
          assertThat(first.getString("skill")).isEqualTo("sim");
          assertThat(first.getString("operation")).isEqualTo("i2v");
          assertThat(first.getString("reason")).isEqualTo("says 'animate' but needs an image attached");
          assertThat(first.getDouble("score")).isEqualTo(1.0);
          assertThat(problem.getString("detail")).contains("please animate my cat", "Closest: sim i2v");
          HttpResponse<Buffer> weather = all.resultAt(1);
          assertProblem(weather, 422, "no-route");
          assertThat(weather.bodyAsJsonObject().getJsonArray("candidates")).isNotEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void counts_an_upload_id_by_its_type_and_refuses_one_the_caller_does_not_have(VertxTestContext ctx) {
    files.put(Buffer.buffer(PNG), "application/octet-stream")
        .compose(info -> files.grant(info.id(), ApiKeys.ownerOf(key)).map(info.id()))
        .compose(id -> Future.all(
            route(new JsonObject().put("text", "animate this").put("attachments", new JsonArray().add(id)), null),
            request(otherKey, new JsonObject().put("text", "animate this").put("attachments", new JsonArray().add(id)))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          HttpResponse<Buffer> mine = all.resultAt(0);
          assertThat(mine.statusCode()).as(mine.bodyAsString()).isEqualTo(200);
          assertThat(mine.bodyAsJsonObject().getString("operation")).isEqualTo("i2v");
          HttpResponse<Buffer> theirs = all.resultAt(1);
          assertProblem(theirs, 422, "unknown-attachment");
          assertThat(theirs.bodyAsJsonObject().getString("detail")).contains("POST /v1/uploads");
          ctx.completeNow();
        })));
  }

  @Test
  void bad_input_gets_a_problem_that_says_what_to_fix(VertxTestContext ctx) {
    record Case(String body, int status, String type, String detail) {}
    List<Case> cases = List.of(
        new Case("[1]", 400, "bad-request", "must be a JSON object"),
        new Case("{}", 400, "invalid-request", "'text' is required"),
        new Case("{\"text\":5}", 400, "invalid-request", "'text' must be a string, not a number"),
        new Case("{\"text\":\"  \"}", 400, "invalid-request", "'text' is empty"),
        new Case("{\"text\":\"" + "x".repeat(4001) + "\"}", 400, "invalid-request", "at most 4000"),
        new Case("{\"text\":\"animate\",\"attachments\":\"image\"}", 400, "invalid-request", "'attachments' must be a list"),
        new Case("{\"text\":\"animate\",\"attachments\":{\"image\":1}}", 400, "invalid-request", "not an object"),
        new Case("{\"text\":\"animate\",\"attachments\":[\"pdf\"]}", 400, "invalid-request", "attachments[0] is \"pdf\""),
        new Case("{\"text\":\"animate\",\"attachments\":[\"image\",3]}", 400, "invalid-request", "attachments[1] is a number"),
        new Case("{\"text\":\"animate\",\"locale\":\"english please\"}", 400, "invalid-request", "'locale' must be a language tag"),
        new Case("{\"text\":\"animate\",\"locale\":7}", 400, "invalid-request", "'locale'"),
        new Case("{\"text\":\"animate\",\"attachments\":[\"" + "a".repeat(64) + "\"]}", 422, "unknown-attachment", "Upload it first"));
    Future<Void> chain = Future.succeededFuture();
    for (Case c : cases) {
      chain = chain.compose(v -> post(key).sendBuffer(Buffer.buffer(c.body())).map(r -> {
        ctx.verify(() -> {
          assertProblem(r, c.status(), c.type());
          assertThat(r.bodyAsJsonObject().getString("detail")).as(c.body()).contains(c.detail());
        });
        return null;
      }));
    }
    chain.compose(v -> post(null).sendJsonObject(new JsonObject().put("text", "a video")))
        .onComplete(ctx.succeeding(anonymous -> ctx.verify(() -> {
          assertThat(anonymous.statusCode()).isEqualTo(401);
          ctx.completeNow();
        })));
  }

  @Test
  void lists_skill_statuses_and_shows_one_skill_in_full(VertxTestContext ctx) {
    Future.all(get("/v1/skills"), get("/v1/skills/sim"), get("/v1/skills/nope"))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          HttpResponse<Buffer> list = all.resultAt(0);
          assertThat(list.bodyAsJsonObject().getJsonArray("skills").getJsonObject(0).getString("state")).isEqualTo("live");
          JsonObject sim = all.<HttpResponse<Buffer>>resultAt(1).bodyAsJsonObject();
          assertThat(sim.getString("provider")).isEqualTo("sim");
          JsonObject t2v = sim.getJsonObject("operations").getJsonObject("t2v");
          assertThat(t2v.getString("confirm")).isEqualTo("estimate.credits > 100.0");
          assertThat(t2v.getJsonObject("eta").getJsonArray("default")).containsExactly(3, 6);
          assertThat(t2v.getJsonObject("defaults").getInteger("duration_ms")).isEqualTo(3000);
          assertThat(sim.getJsonObject("operations").getJsonObject("i2v").getJsonObject("inputs").getString("image"))
              .isEqualTo("required");
          JsonObject premium = sim.getJsonArray("routes").getJsonObject(1);
          assertThat(premium.getString("when")).isEqualTo("says(['premium video', '高级视频'])");
          assertThat(premium.getJsonObject("params").getInteger("cost")).isEqualTo(150);
          assertThat(premium.getString("at")).isEqualTo("sim.yaml:11:5");
          assertThat(sim.getJsonObject("templates").getJsonObject("submitted").fieldNames()).containsExactlyInAnyOrder("en", "zh");
          assertThat(sim.getJsonArray("unsupported").getJsonObject(0).getJsonObject("message").getString("zh"))
              .isEqualTo("模拟器不能生成 3D 模型。");
          assertThat(sim.getJsonArray("examples")).hasSize(3);
          assertProblem(all.resultAt(2), 404, "skill-not-found");
          ctx.completeNow();
        })));
  }

  private HttpRequest<Buffer> post(String apiKey) {
    HttpRequest<Buffer> r = client.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/v1/route")
        .putHeader("Content-Type", "application/json");
    return apiKey == null ? r : r.bearerTokenAuthentication(apiKey);
  }

  private Future<HttpResponse<Buffer>> route(JsonObject body, String acceptLanguage) {
    HttpRequest<Buffer> r = post(key);
    if (acceptLanguage != null) {
      r.putHeader("Accept-Language", acceptLanguage);
    }
    return r.sendJsonObject(body);
  }

  private Future<HttpResponse<Buffer>> request(String apiKey, JsonObject body) {
    return post(apiKey).sendJsonObject(body);
  }

  private Future<HttpResponse<Buffer>> get(String path) {
    return client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", path).bearerTokenAuthentication(key).send();
  }

  static void assertProblem(HttpResponse<Buffer> r, int status, String type) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = r.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("/problems/" + type);
    assertThat(problem.getString("detail")).isNotBlank();
  }
}
