package dev.skillhost.simulators;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/** Simulators listen on 127.0.0.1 only, on a port the OS picks unless one is asked for. */
public final class Loopback {

  public static final String HOST = "127.0.0.1";

  private Loopback() {}

  public static Future<HttpServer> listen(Vertx vertx, Router router, int port) {
    return vertx.createHttpServer(new HttpServerOptions().setHost(HOST).setPort(port))
        .requestHandler(router).listen();
  }

  public static String baseUrl(HttpServer server) {
    return "http://" + HOST + ":" + server.actualPort();
  }
}
