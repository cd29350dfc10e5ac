package dev.skillhost.chatart;

import dev.skillhost.api.Account;
import dev.skillhost.api.Estimate;
import dev.skillhost.api.Handle;
import dev.skillhost.api.Job;
import dev.skillhost.api.Login;
import dev.skillhost.api.OperationInfo;
import dev.skillhost.api.Progress;
import dev.skillhost.api.Provider;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import dev.skillhost.api.ProviderInfo;
import dev.skillhost.api.RateBucket;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pf4j.Extension;

/**
 * ChatArt (chatartpro.com) as the official skill's code speaks it: device-style login, STS + OSS
 * upload, typed generate calls answering a {@code question_id}, and status polls. Everything a task
 * needs to go on is in its {@link Handle}; the provider itself keeps only its HTTP client.
 */
@Extension
public final class ChatArtProvider implements Provider {

  static final String ID = "chatart";

  private static final Duration VIDEO_ETA = Duration.ofMinutes(5);
  private static final Duration IMAGE_ETA = Duration.ofSeconds(45);

  /**
   * ChatArt documents no rate limit and its client has no 429 handling; these budgets are ours,
   * polite next to the official client's one poll per 30 s per task.
   */
  private static final List<RateBucket> BUCKETS = List.of(
      new RateBucket("chatart-submit", 30, Duration.ofMinutes(1), Set.of(RateBucket.Call.SUBMIT)),
      new RateBucket("chatart-read", 300, Duration.ofMinutes(1),
          Set.of(RateBucket.Call.POLL, RateBucket.Call.ACCOUNT, RateBucket.Call.CANCEL)));

  private static final ProviderInfo INFO = new ProviderInfo(ID, "ChatArt",
      "ChatArt (chatartpro.com): text/image-to-video, reference video, video extension, AI images and editing, character replace",
      ProviderInfo.Kind.CLOUD,
      List.of(
          new OperationInfo("t2v", "Text to video (video_id 101)", List.of(), VIDEO_ETA),
          new OperationInfo("i2v", "Image to video: one image or first + last frame (video_id 102)", List.of("image"), VIDEO_ETA),
          new OperationInfo("omni", "Video from 1–9 reference images (video_id 102, omni_reference)", List.of("image", "reference"), VIDEO_ETA),
          new OperationInfo("extend", "Extend a video (video_id 103)", List.of("video"), VIDEO_ETA),
          new OperationInfo("mimic", "Character replace: photo + action video (video_id 104)", List.of("image", "video"), VIDEO_ETA),
          new OperationInfo("text2image", "Text to image (scene_id 4)", List.of(), IMAGE_ETA),
          new OperationInfo("image_edit", "Edit images (scene_id 13)", List.of("image", "reference"), IMAGE_ETA),
          new OperationInfo("account", "Credit balance or creation history; spends nothing", List.of(), Duration.ofSeconds(2))),
      ChatArtModels.infos(), BUCKETS, false);

  private volatile ChatArtClient client;

  @Override
  public ProviderInfo info() {
    return INFO;
  }

  /** One WebClient over the host's HttpClient, kept in a field (Vert.x 5 closes collected clients). */
  private ChatArtClient client(ProviderContext ctx) {
    ChatArtClient c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) {
          client = new ChatArtClient(WebClient.wrap(ctx.http()));
        }
        c = client;
      }
    }
    return c;
  }

  @Override
  public Future<Estimate> estimate(Job job, ProviderContext ctx) {
    if (job.operation().equals("account")) {
      return Future.succeededFuture(ChatArtPricing.of(0, new JsonObject().put("operation", "account")));
    }
    // A job that cannot run has no price; it is refused, with the reason, at submit. (Failing the
    // estimate instead trips the host's confirmation message on a null cost; see the report.)
    return request(job, ctx).map(ChatArtRequest::estimate)
        .recover(e -> Future.succeededFuture(new Estimate(null, ChatArtPricing.UNIT,
            new JsonObject().put("operation", job.operation()).put("problem", String.valueOf(e.getMessage())))));
  }

  /** The job with the facts of its input video read, when the operation needs them. */
  private Future<ChatArtRequest> request(Job job, ProviderContext ctx) {
    ChatArtRequest bare = new ChatArtRequest(job, null);
    Optional<Job.Input> video = job.inputs().stream().filter(i -> i.role().equals("video")).findFirst();
    if (!bare.needsVideoInfo() || video.isEmpty()) {
      return Future.succeededFuture(bare);
    }
    return ctx.artifacts().path(video.get().file())
        .compose(path -> ctx.vertx().executeBlocking(() -> Mp4Info.read(path), false))
        .recover(e -> Future.failedFuture(e instanceof ProviderException ? e
            : ChatArtModels.invalid("could not read the input video (MP4 or MOV expected): " + e.getMessage())))
        .map(info -> new ChatArtRequest(job, info));
  }

  @Override
  public Future<Handle> submit(Job job, ProviderContext ctx) {
    if (job.operation().equals("account")) {
      // reads only, done at the first poll: nothing is sent here
      return Future.succeededFuture(Handle.of("account-" + job.taskId(),
          new JsonObject().put("family", "account").put("params", job.params())));
    }
    ChatArtClient c = client(ctx);
    Future<ChatArtCredentials> creds = ChatArtCredentials.resolve(ctx);
    Future<ChatArtRequest> req = creds.compose(x -> request(job, ctx));
    // Everything before the generate call spends nothing: a failure there is a plain refusal.
    Future<JsonObject> body = req.compose(r -> {
      r.estimate();
      return new ChatArtUpload(c).upload(ctx, creds.result(), r.uploads()).map(r::body);
    }).recover(e -> Future.failedFuture(refusal(e)));
    return body.compose(b -> c.call(ctx, creds.result(), HttpMethod.POST, req.result().submitPath(), b)
            .recover(e -> Future.failedFuture(submitFailure(e))))
        .map(data -> {
          String id = data instanceof JsonObject d && d.getValue("question_id") != null
              ? String.valueOf(d.getValue("question_id")) : null;
          if (id == null) {
            // the backend took the call but gave no id: it may have started a task
            throw new ProviderException("malformed", 0, "ChatArt accepted the task but sent no question_id");
          }
          return Handle.of(id, new JsonObject().put("family", req.result().image() ? "image" : "video")
              .put("question_id", id).put("operation", job.operation()).put("model", job.params().getString("model"))
              .put("poll_path", req.result().pollPath()));
        });
  }

  /**
   * An envelope error answers the generate call, so no task was made, except ChatArt's internal
   * errors (5000, 5001, 5004, 5005), after which nobody can say; those stay unclear.
   */
  private static Throwable submitFailure(Throwable e) {
    if (e instanceof ProviderException pe && pe.httpStatus() == 200 && pe.code() != null
        && !Set.of("5000", "5001", "5004", "5005").contains(pe.code())) {
      return ProviderException.rejected(pe.code(), pe.text());
    }
    if (e instanceof ProviderException pe && pe.httpStatus() == 429) {
      return ProviderException.rejected(pe.code() == null ? "429" : pe.code(), pe.text());
    }
    return e;
  }

  private static Throwable refusal(Throwable e) {
    if (e instanceof ProviderException pe) {
      return pe.rejected() ? pe : ProviderException.rejected(pe.code() == null ? "upload_failed" : pe.code(), pe.text());
    }
    return ProviderException.rejected("upload_failed", String.valueOf(e.getMessage()));
  }

  @Override
  public Future<Progress> poll(Handle handle, ProviderContext ctx) {
    ChatArtClient c = client(ctx);
    JsonObject h = handle.data();
    if ("account".equals(h.getString("family"))) {
      return new ChatArtAccount(c).view(ctx, h.getJsonObject("params", new JsonObject())).map(Progress::succeeded);
    }
    String id = h.getString("question_id");
    // GET with a JSON body, the id in both query and body, as the official client sends it
    String path = h.getString("poll_path") + "?question_id=" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8);
    return ChatArtCredentials.resolve(ctx)
        .compose(creds -> c.call(ctx, creds, HttpMethod.GET, path, new JsonObject().put("question_id", id)))
        .compose(data -> new ChatArtResults(c).progress(ctx, handle, data instanceof JsonObject d ? d : new JsonObject()));
  }

  @Override
  public Future<Account> account(ProviderContext ctx) {
    return new ChatArtAccount(client(ctx)).account(ctx);
  }

  @Override
  public Optional<String> configProblem(ProviderContext ctx) {
    boolean uid = ctx.secret(ChatArtCredentials.UID).isPresent();
    boolean key = ctx.secret(ChatArtCredentials.API_KEY).isPresent();
    if (uid != key) {
      return Optional.of("set both CHATARTPRO_UID and CHATARTPRO_API_KEY (only " + (uid ? "the UID" : "the API key")
          + " is set), or unset both and log in");
    }
    return Optional.empty();
  }

  @Override
  public Future<Login> login(JsonObject request, ProviderContext ctx) {
    return new ChatArtLogin(client(ctx)).start(request, ctx);
  }

  @Override
  public Future<Login> loginPoll(Login pending, ProviderContext ctx) {
    return new ChatArtLogin(client(ctx)).poll(pending, ctx);
  }

  @Override
  public Future<Void> logout(ProviderContext ctx) {
    return new ChatArtLogin(client(ctx)).logout(ctx);
  }
}
