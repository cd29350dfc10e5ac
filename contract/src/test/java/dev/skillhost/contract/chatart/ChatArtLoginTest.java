package dev.skillhost.contract.chatart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.Artifacts;
import dev.skillhost.api.Login;
import dev.skillhost.api.Provider;
import dev.skillhost.host.plugins.HostProviderContext;
import dev.skillhost.host.testing.TestHost;
import dev.skillhost.simulators.chatart.ChatArtSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device-style login at the provider level (the host's POST /v1/providers/chatart/login is
 * being added on main): the real plugin jar in its own class loader, against the simulator.
 * Link, pending, approval by opening the link, credentials stored owner-only, account switch
 * (the old device unbound), denial (403), expiry (410), logout.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ChatArtLoginTest {

  @TempDir
  Path dir;
  ChatArtSimulator sim;
  Provider provider;
  HostProviderContext pctx;
  WebClient browser;
  URLClassLoader loader;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) throws Exception {
    loader = new URLClassLoader(new URL[] {TestHost.pluginJar("chatart").toUri().toURL()}, getClass().getClassLoader());
    provider = (Provider) loader.loadClass("dev.skillhost.chatart.ChatArtProvider").getDeclaredConstructor().newInstance();
    browser = WebClient.create(vertx);
    ChatArtSimulator.start(vertx, new JsonObject()).onComplete(ctx.succeeding(s -> {
      sim = s;
      pctx = new HostProviderContext(vertx, vertx.createHttpClient(), new JsonObject().put("base_url", s.baseUrl())
          .put("client_id", "pro-chatart-skill-test"), new NoArtifacts(), dir.resolve("chatart"), Clock.systemUTC(), "chatart");
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) throws Exception {
    loader.close();
    browser.close();
    sim.close().onComplete(ctx.succeedingThenComplete());
  }

  /** Polls the sign-in until it leaves PENDING, as the host would. */
  private Future<Login> until(Login l, Vertx vertx) {
    return provider.loginPoll(l, pctx).compose(next -> next.terminal() ? Future.succeededFuture(next)
        : vertx.timer(50).compose(v -> until(next, vertx)));
  }

  @Test
  void device_login_stores_owner_only_credentials_and_switches_accounts(Vertx vertx, VertxTestContext ctx) {
    Path file = dir.resolve("chatart").resolve("credentials.json");
    provider.login(new JsonObject(), pctx).compose(pending -> {
      ctx.verify(() -> {
        assertThat(pending.state()).isEqualTo(Login.State.PENDING);
        assertThat(pending.url()).startsWith(sim.baseUrl() + "/device?code=");
      });
      return provider.loginPoll(pending, pctx).compose(still -> {
        ctx.verify(() -> assertThat(still.state()).as("not signed in yet").isEqualTo(Login.State.PENDING));
        return browser.getAbs(pending.url()).send();   // the user signs in
      }).compose(page -> until(pending, vertx));
    }).compose(signed -> {
      ctx.verify(() -> {
        assertThat(signed.state()).isEqualTo(Login.State.SIGNED_IN);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(new JsonObject(Files.readString(file)).getString("api_key")).startsWith("sk-chatart-");
      });
      return provider.account(pctx).map(a -> new Object[] {signed, a});
    }).compose(r -> {
      ctx.verify(() -> assertThat(((dev.skillhost.api.Account) r[1]).credits()).isEqualTo(1000.0));
      return provider.login(new JsonObject(), pctx).map(again -> new Object[] {r[0], again});
    }).compose(r -> {
      Login first = (Login) r[0];
      ctx.verify(() -> assertThat(((Login) r[1]).state()).as("already signed in").isEqualTo(Login.State.SIGNED_IN));
      return provider.login(new JsonObject().put("switch", true), pctx).map(sw -> new Object[] {first, sw});
    }).compose(r -> {
      Login first = (Login) r[0];
      Login sw = (Login) r[1];
      ctx.verify(() -> {
        assertThat(sw.state()).isEqualTo(Login.State.PENDING);
        assertThat(sim.accountByIdentity(first.account()).revoked()).as("old device unbound").isTrue();
        assertThat(file).doesNotExist();
      });
      return browser.getAbs(sw.url()).send().compose(p -> until(sw, vertx)).map(second -> new Object[] {first, second});
    }).compose(r -> {
      ctx.verify(() -> assertThat(((Login) r[1]).account()).isNotEqualTo(((Login) r[0]).account()));
      return provider.logout(pctx);
    }).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(file).doesNotExist();
      ctx.completeNow();
    })));
  }

  @Test
  void denied_and_expired_logins_fail_with_403_and_410(Vertx vertx, VertxTestContext ctx) {
    provider.login(new JsonObject(), pctx).compose(p -> {
      sim.deny(sim.lastDeviceCode());
      return until(p, vertx);
    }).compose(denied -> provider.login(new JsonObject(), pctx).compose(p -> {
      sim.expire(sim.lastDeviceCode());
      return until(p, vertx);
    }).map(expired -> new Login[] {denied, expired})).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r[0].state()).isEqualTo(Login.State.FAILED);
      assertThat(r[0].error().code()).isEqualTo("login_denied");
      assertThat(r[0].error().httpStatus()).isEqualTo(403);
      assertThat(r[1].error().code()).isEqualTo("login_expired");
      assertThat(r[1].error().httpStatus()).isEqualTo(410);
      assertThat(dir.resolve("chatart").resolve("credentials.json")).doesNotExist();
      ctx.completeNow();
    })));
  }

  /** Login touches no artifacts. */
  private static final class NoArtifacts implements Artifacts {
    @Override
    public Future<Path> path(String fileId) {
      return Future.failedFuture("no artifacts in this test");
    }

    @Override
    public Future<StoredFile> store(Path file, String mimeHint) {
      return Future.failedFuture("no artifacts in this test");
    }

    @Override
    public Future<StoredFile> store(Buffer bytes, String mimeHint) {
      return Future.failedFuture("no artifacts in this test");
    }

    @Override
    public Path scratch(String suffix) {
      throw new UnsupportedOperationException();
    }
  }
}
