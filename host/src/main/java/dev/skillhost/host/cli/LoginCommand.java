package dev.skillhost.host.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code skillhost login chatart}: starts the provider's device-style sign-in, prints the skill's
 * login message with the link, and waits while the host watches for the user to finish.
 */
@Command(name = "login", description = "Sign in to a provider (device login: open the link it prints).")
public final class LoginCommand implements Callable<Integer> {

  private static final long LOOK_EVERY_MS = 500;

  @Mixin Connection conn;

  @Parameters(index = "0", paramLabel = "PROVIDER", description = "The provider to sign in to, e.g. chatart.")
  String provider;

  @Option(names = "--locale", paramLabel = "TAG", description = "The language of the login message (en, zh, …).")
  String locale;

  @Override
  public Integer call() throws InterruptedException {
    if (!provider.matches("[a-z0-9_-]{1,64}")) {
      throw new CliException(CliException.BAD_INPUT, "'" + provider + "' is not a provider id (e.g. chatart).");
    }
    HostClient client = conn.client(locale);
    String path = "/v1/providers/" + provider + "/login";
    JsonObject body = locale == null ? new JsonObject() : new JsonObject().put("locale", locale);
    JsonObject state = client.post(path, body);
    if ("pending".equals(state.getString("state"))) {
      // the link goes out at once, on stderr with --json, so a person can open it while we wait
      (conn.json ? System.err : System.out).println(state.getString("message", "Open " + state.getString("url") + " to sign in."));
      (conn.json ? System.err : System.out).println("Waiting for the sign-in to finish…");
    }
    while ("pending".equals(state.getString("state"))) {
      Thread.sleep(LOOK_EVERY_MS);
      state = client.get(path);
    }
    if (conn.json) {
      System.out.println(state.encode());
    }
    if ("signed_in".equals(state.getString("state"))) {
      if (!conn.json) {
        Object account = state.getValue("account");
        System.out.println("Signed in to " + provider + (account == null ? "" : " as " + describe(account)) + ".");
      }
      return 0;
    }
    JsonObject error = state.getJsonObject("error", new JsonObject());
    throw new CliException(CliException.FAILED, "The sign-in to " + provider + " did not finish: "
        + error.getString("message", state.getString("state")).replace('\n', ' ').strip());
  }

  private static String describe(Object account) {
    if (account instanceof JsonObject a) {
      for (String k : new String[] {"name", "email", "uid", "id"}) {
        if (a.getValue(k) != null) {
          return String.valueOf(a.getValue(k));
        }
      }
      return a.encode();
    }
    return String.valueOf(account);
  }
}
