package dev.skillhost.chatart;

import dev.skillhost.api.Account;
import dev.skillhost.api.Output;
import dev.skillhost.api.ProviderContext;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Credits ({@code POST /web/member/user-diamond}, {@code data.diamond}) and creation history
 * ({@code GET /web/{art|video}/history} with a JSON body whose values are all strings), as the
 * official {@code user.py} reads them. An entry is "completed" only when it is done and its first
 * file has status 1.
 */
final class ChatArtAccount {

  static final String CREDITS = "/web/member/user-diamond";

  private final ChatArtClient client;

  ChatArtAccount(ChatArtClient client) {
    this.client = client;
  }

  Future<Account> account(ProviderContext ctx) {
    return ChatArtCredentials.resolve(ctx).compose(creds -> client.call(ctx, creds, HttpMethod.POST, CREDITS, null)
        .map(data -> {
          JsonObject d = data instanceof JsonObject o ? o : new JsonObject();
          Object diamond = d.getValue("diamond");
          Double credits = diamond instanceof Number n ? n.doubleValue()
              : diamond == null ? null : Double.valueOf(String.valueOf(diamond));
          JsonObject details = new JsonObject().put("source", creds.stored() ? "login" : "environment")
              .put("email", creds.file().getString("email")).put("name", creds.file().getString("name"));
          return new Account(creds.uid(), credits, details);
        }));
  }

  /** The account operation's result: credits, or one page of history, as a text output. */
  Future<List<Output>> view(ProviderContext ctx, JsonObject params) {
    if (!"history".equals(params.getString("view"))) {
      return account(ctx).map(a -> List.of(new Output("text", null, null, "application/json",
          new JsonObject().put("credits", a.credits()).put("text", "Credits: " + format(a.credits())))));
    }
    String kind = "image".equals(params.getString("kind")) ? "art" : "video";
    JsonObject body = new JsonObject().put("page", String.valueOf(params.getInteger("page", 1)))
        .put("per_page", String.valueOf(params.getInteger("per_page", 20)));
    if (params.getString("start_time") != null) body.put("start_time", params.getString("start_time"));
    if (params.getString("end_time") != null) body.put("end_time", params.getString("end_time"));
    return ChatArtCredentials.resolve(ctx)
        .compose(creds -> client.call(ctx, creds, HttpMethod.GET, "/web/" + kind + "/history", body))
        .map(data -> {
          JsonObject d = data instanceof JsonObject o ? o : new JsonObject();
          JsonArray entries = new JsonArray();
          StringBuilder text = new StringBuilder();
          for (Object o : d.getJsonArray("data", new JsonArray())) {
            if (!(o instanceof JsonObject e)) continue;
            JsonObject entry = entry(e, kind);
            entries.add(entry);
            text.append(entry.getValue("id")).append("  ").append(entry.getString("state"))
                .append(entry.getString("url") == null ? "" : "  " + entry.getString("url")).append('\n');
          }
          JsonObject meta = new JsonObject().put("kind", kind.equals("art") ? "image" : "video")
              .put("total", d.getValue("total")).put("page", d.getValue("current_page")).put("entries", entries)
              .put("text", text.toString().trim());
          return List.of(new Output("text", null, null, "application/json", meta));
        });
  }

  private static JsonObject entry(JsonObject e, String kind) {
    boolean art = kind.equals("art");
    int status = art ? e.getInteger("is_drawing", 0) : e.getInteger("status", 0);
    JsonArray files = e.getJsonArray(art ? "pic_url" : "file", new JsonArray());
    JsonObject first = files.isEmpty() ? null : files.getJsonObject(0);
    boolean complete = status == 1 && first != null && first.getInteger("status", 0) == 1;
    String state = complete ? "completed" : status == 2 ? "failed" : status == 0 ? "working" : "incomplete";
    return new JsonObject().put("id", e.getValue("id")).put("created_at", e.getValue("create_at")).put("state", state)
        .put("url", first == null ? null : first.getString("url"))
        .put("error", e.getString("error_message", e.getString("comment")));
  }

  private static String format(Double credits) {
    return credits == null ? "unknown" : credits % 1 == 0 ? String.valueOf(credits.longValue()) : credits.toString();
  }
}
