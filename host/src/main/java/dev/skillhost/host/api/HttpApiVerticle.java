package dev.skillhost.host.api;

import dev.skillhost.host.metrics.HostMetrics;
import dev.skillhost.host.outbox.OutboxVerticle;
import dev.skillhost.host.plugins.PluginHost;
import dev.skillhost.host.skills.SkillRegistry;
import dev.skillhost.host.skills.SkillStatus;
import dev.skillhost.host.store.FileStore;
import dev.skillhost.host.tasks.TaskEngineVerticle;
import dev.skillhost.host.tasks.TaskRejected;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.Supplier;

/** The HTTP, SSE and WebSocket API under {@code /v1}, and the web console at {@code /}. One instance per event loop it runs on. */
public final class HttpApiVerticle extends VerticleBase {

  /**
   * @param host            address to bind
   * @param port            port to bind; 0 picks a free one
   * @param bodyLimit       largest JSON body accepted, bytes
   * @param uploadLimit     largest upload accepted, bytes
   * @param version         host version, for health
   */
  public record Options(String host, int port, long bodyLimit, long uploadLimit, String version) {}

  private final Options options;
  private final TaskEngineVerticle engine;
  private final PluginHost plugins;
  private final FileStore files;
  private final ApiKeys keys;
  private final SkillRegistry skills;
  private final dev.skillhost.host.skills.Router skillRouter;
  private final OutboxVerticle outbox;
  private HttpServer server;
  private Router router;
  private dev.skillhost.host.net.SafeFetcher fetcher;
  private FileLinks links;
  private dev.skillhost.host.mcp.McpRoutes mcp;
  private HostMetrics metrics = HostMetrics.create();
  private String metricsHost;
  private int metricsPort;
  private HttpServer metricsServer;
  private Supplier<Future<Void>> storeWrite = () -> Future.succeededFuture();

  public HttpApiVerticle(Options options, TaskEngineVerticle engine, PluginHost plugins, FileStore files, ApiKeys keys,
      SkillRegistry skills, dev.skillhost.host.skills.Router skillRouter, OutboxVerticle outbox) {
    this.options = options;
    this.engine = engine;
    this.plugins = plugins;
    this.files = files;
    this.keys = keys;
    this.skills = skills;
    this.skillRouter = skillRouter;
    this.outbox = outbox;
  }

  /** Uploads by URL through {@code fetcher}; signed file links checked with {@code links}. Set before deploying. */
  public void fetching(dev.skillhost.host.net.SafeFetcher fetcher, FileLinks links) {
    this.fetcher = fetcher;
    this.links = links;
  }

  /**
   * Where {@code /metrics} reads from, and where it is served: {@code separateHost} null puts it on
   * the API behind the key, else on a listener of its own at {@code separateHost:separatePort}.
   * Set before deploying.
   */
  public void metrics(HostMetrics next, String separateHost, int separatePort) {
    this.metrics = next;
    this.metricsHost = separateHost;
    this.metricsPort = separatePort;
  }

  /** The readiness check's store write (a real, small one); set before deploying. */
  public void storeWrite(Supplier<Future<Void>> probe) {
    this.storeWrite = probe;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    this.router = router;
    router.route().failureHandler(ProblemHandler::handle);
    router.errorHandler(404, ProblemHandler::handle);
    router.errorHandler(405, ProblemHandler::handle);
    new HealthRoutes(options.version(), plugins, skills, storeWrite).mount(router);
    new OpenApiRoutes(vertx, options.version()).mount(router); // no key: the API's shape, no data
    MetricsRoutes metricsRoutes = new MetricsRoutes(vertx, metrics);
    if (metricsHost == null) {
      metricsRoutes.mount(router, Auth.handler(keys));
    }
    new StreamRoutes(vertx, engine, keys, metrics.subscribers("websocket")).mount(router);
    if (links != null) {
      new FileRoutes(files).mountSigned(router, links); // a signed link stands in for the key
    }
    Logins logins = new Logins(vertx, plugins, skills);
    mcp = dev.skillhost.host.mcp.McpRoutes.create(vertx, options.version(), engine, skills, plugins, skillRouter, files, logins,
        fetcher, options.uploadLimit(), links == null ? id -> "/v1/files/" + id : links::link,
        () -> "http://" + options.host() + ":" + (server == null ? options.port() : server.actualPort()));
    mcp.meter(metrics.mcpSessions(), metrics.subscribers("mcp"));
    mcp.mount(router, Auth.handler(keys)); // its own body limit: base64 uploads travel in a message
    router.route("/v1/*").handler(Auth.handler(keys));
    // Uploads stream to disk themselves; every other body is small JSON, read whole up to a limit.
    BodyHandler body = BodyHandler.create(false).setBodyLimit(options.bodyLimit());
    router.route("/v1/*").handler(ctx -> {
      if (ctx.request().path().startsWith("/v1/uploads")) {
        ctx.next();
      } else {
        body.handle(ctx);
      }
    });
    new DeliveryRoutes(engine, outbox, plugins).mount(router); // before /v1/tasks/:id
    new TaskRoutes(engine, outbox, links == null ? null : links::link).mount(router);
    new SseRoutes(vertx, engine, metrics.subscribers("sse")).mount(router);
    new ProviderRoutes(plugins, engine).mount(router);
    new LoginRoutes(logins).mount(router);
    new UploadRoutes(files, options.uploadLimit(), fetcher).mount(router);
    new FileRoutes(files).mount(router);
    new RouteRoutes(skillRouter, files).mount(router);
    new SkillRoutes(() -> skills.statuses().stream().map(SkillStatus::toJson).toList(), skills::skill).mount(router);
    new ConsoleRoutes().mount(router); // last: every GET no API route took
    return vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(options.port()))
        .requestHandler(router)
        .listen()
        .onSuccess(s -> server = s)
        .compose(s -> metricsHost == null ? Future.succeededFuture()
            : metricsRoutes.listen(metricsHost, metricsPort).onSuccess(m -> metricsServer = m))
        .compose(s -> mcp.start());
  }

  @Override
  public Future<?> stop() {
    if (mcp != null) {
      mcp.stop();
    }
    return Future.succeededFuture();
  }

  /** The MCP endpoint, once started. */
  public dev.skillhost.host.mcp.McpRoutes mcp() {
    return mcp;
  }

  /** The separate metrics listener's port, or -1 when {@code /metrics} is on the API. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.actualPort();
  }

  /** The API's router once started: what OpenApiDocumentTest walks to hold the document to every route. */
  public Router router() {
    return router;
  }

  /** The port actually bound (differs from the configured one when that was 0). */
  public int port() {
    return server.actualPort();
  }

  static ApiException fromRejection(TaskRejected r) {
    String title = switch (r.reason()) {
      case NOT_FOUND -> "Not found";
      case WRONG_STATE -> "Conflict";
      case INVALID_REQUEST -> "Invalid request";
      case NODE_UNAVAILABLE -> "Service unavailable";
      default -> "Unprocessable request";
    };
    return new ApiException(r.reason().status, r.reason().type, title, r.getMessage(), r.extensions());
  }
}
