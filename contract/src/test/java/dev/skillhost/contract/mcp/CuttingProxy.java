package dev.skillhost.contract.mcp;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy on 127.0.0.1 in front of a host that drops, once, the connection on which the host
 * sends a given text: a network fault in the middle of an SSE stream, for a real client to
 * recover from. Everything else passes through untouched.
 */
final class CuttingProxy {

  private final NetServer server;
  private final NetClient client;
  private final AtomicBoolean cut = new AtomicBoolean();

  private CuttingProxy(NetServer server, NetClient client) {
    this.server = server;
    this.client = client;
  }

  static Future<CuttingProxy> start(Vertx vertx, int targetPort, String cutAfter) {
    CuttingProxy proxy = new CuttingProxy(vertx.createNetServer(), vertx.createNetClient());
    proxy.server.connectHandler(in -> proxy.pipe(in, targetPort, cutAfter));
    return proxy.server.listen(0, "127.0.0.1").map(proxy);
  }

  private void pipe(NetSocket in, int targetPort, String cutAfter) {
    in.pause();
    client.connect(targetPort, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        in.close();
        return;
      }
      NetSocket out = ar.result();
      StringBuilder tail = new StringBuilder(); // the text may straddle two reads
      in.handler(out::write);
      out.handler(buf -> {
        in.write(buf);
        tail.append(buf.toString());
        if (tail.indexOf(cutAfter) >= 0 && cut.compareAndSet(false, true)) {
          in.close();
          out.close();
        }
        tail.delete(0, Math.max(0, tail.length() - cutAfter.length()));
      });
      in.closeHandler(v -> out.close());
      out.closeHandler(v -> in.close());
      in.resume();
    });
  }

  int port() {
    return server.actualPort();
  }

  /** Whether the connection was dropped. */
  boolean cut() {
    return cut.get();
  }

  Future<Void> close() {
    return server.close().eventually(client::close);
  }
}
