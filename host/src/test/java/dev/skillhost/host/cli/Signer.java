package dev.skillhost.host.cli;

/** A provider compiled at test time whose device login signs in after a few looks (as LoginRoutesTest's). */
final class Signer {

  private Signer() {}

  static final String SOURCE = """
      package dev.skillhost.testplugin;

      import dev.skillhost.api.*;
      import io.vertx.core.Future;
      import io.vertx.core.json.JsonObject;
      import java.time.*;
      import java.util.List;

      @org.pf4j.Extension
      public final class Signer implements Provider {
        public ProviderInfo info() {
          return new ProviderInfo("signer", "Signer", "signs in", ProviderInfo.Kind.SIMULATED,
              List.of(new OperationInfo("t2v", "nothing", List.of(), Duration.ofMillis(100))), List.of(), List.of(), false);
        }
        public Future<Handle> submit(Job job, ProviderContext ctx) { return Future.failedFuture(ProviderException.rejected("no", "no")); }
        public Future<Progress> poll(Handle handle, ProviderContext ctx) { return Future.succeededFuture(null); }
        public Future<Login> login(JsonObject request, ProviderContext ctx) {
          return Future.succeededFuture(Login.pending("https://signer.test/device?code=ABCD", Instant.now().plusSeconds(60),
              Duration.ofMillis(200), new JsonObject().put("left", 3)));
        }
        public Future<Login> loginPoll(Login pending, ProviderContext ctx) {
          int left = pending.data().getInteger("left") - 1;
          return Future.succeededFuture(left > 0
              ? Login.pending(null, null, Duration.ofMillis(200), new JsonObject().put("left", left))
              : Login.signedIn("user-42"));
        }
      }
      """;
}
