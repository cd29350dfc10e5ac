package dev.skillhost.host.testing;

/** A provider compiled at test time (with {@link PluginJarBuilder}) whose device login can be steered. */
public final class SignerPlugin {

  private SignerPlugin() {}

  /**
   * Signs in after {@code looks} looks (request field), or is denied ({@code "deny": true}), or
   * never finishes before its link expires ({@code "expire_ms"}). Stores the account in its data dir.
   */
  public static final String SOURCE = """
      package dev.skillhost.testplugin;

      import dev.skillhost.api.*;
      import io.vertx.core.Future;
      import io.vertx.core.json.JsonObject;
      import java.nio.file.*;
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
          Instant expires = Instant.now().plusMillis(request.getLong("expire_ms", 60_000L));
          return Future.succeededFuture(Login.pending("https://signer.test/device?code=ABCD", expires, Duration.ofMillis(20),
              new JsonObject().put("left", request.getInteger("looks", 3)).put("deny", request.getBoolean("deny", false))
                  .put("never", request.containsKey("expire_ms"))));
        }
        public Future<Login> loginPoll(Login pending, ProviderContext ctx) {
          JsonObject d = pending.data();
          if (d.getBoolean("deny")) return Future.succeededFuture(Login.failed(new ProviderException("403", 403, "denied")));
          int left = d.getInteger("left") - 1;
          if (left > 0 || d.getBoolean("never")) {
            return Future.succeededFuture(Login.pending(null, null, Duration.ofMillis(20), d.copy().put("left", left)));
          }
          try {
            Files.createDirectories(ctx.dataDir());
            Files.writeString(ctx.dataDir().resolve("account"), "user-42");
          } catch (java.io.IOException e) { return Future.failedFuture(e); }
          return Future.succeededFuture(Login.signedIn("user-42"));
        }
        public Future<Void> logout(ProviderContext ctx) {
          try { Files.deleteIfExists(ctx.dataDir().resolve("account")); } catch (java.io.IOException e) { return Future.failedFuture(e); }
          return Future.succeededFuture();
        }
      }
      """;
}
