package dev.skillhost.host.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web console at {@code /}: static files shipped in the host jar under {@code console/}
 * (Preact + htm as ES modules, vendored; nothing from a CDN). It talks to {@code /v1} on the same
 * origin with the key the user types; the files themselves need no key.
 */
final class ConsoleRoutes {

  static final String WEB_ROOT = "console";

  /**
   * The hash of the inline import map in {@code console/index.html}, the one inline script the
   * policy allows (an import map cannot be an external file). ConsoleFilesTest checks it.
   */
  static final String IMPORT_MAP_SHA256 = "sha256-mPhTW9wXhXKRuqfPo7mQ+N/AQJkpT89c/FQqeGnSU9Y=";

  /**
   * The console holds an API key: its own scripts only, no framing, nothing sent to other origins.
   * Outputs are shown from this origin's signed file links; blob: for the preview of a file
   * being attached.
   */
  static final String POLICY = "default-src 'self'; script-src 'self' '" + IMPORT_MAP_SHA256 + "'; "
      + "img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'; style-src 'self'; "
      + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  void mount(Router router) {
    // no cache headers from the handler: a browser asks again (304) and never runs an old console
    // against a newer host
    StaticHandler files = StaticHandler.create(WEB_ROOT).setCachingEnabled(false).setDirectoryListing(false);
    router.get("/*").handler(ctx -> serve(ctx, files));
  }

  private static void serve(RoutingContext ctx, StaticHandler files) {
    String path = ctx.normalizedPath();
    if (path.equals("/v1") || path.startsWith("/v1/") || path.equals("/mcp") || path.startsWith("/mcp/")) {
      ctx.next(); // an API path no route took: the API's own 404
      return;
    }
    ctx.response()
        .putHeader("Content-Security-Policy", POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cache-Control", "no-cache");
    files.handle(ctx);
  }
}
