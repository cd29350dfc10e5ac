package dev.skillhost.sim;

import dev.skillhost.api.Artifacts;
import dev.skillhost.api.Output;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Makes a finished task's output and stores it through the host's artifacts. */
final class SimRender {

  static final String PNG = "image/png";
  static final String GIF = "image/gif";

  private SimRender() {}

  static Future<Output> output(SimTask task, ProviderContext ctx) {
    return switch (task.operation()) {
      case "text2image" -> image(task, ctx);
      case "t2v" -> video(task, ctx, null);
      case "i2v" -> source(task, ctx).compose(src -> video(task, ctx, src));
      default -> Future.failedFuture(new ProviderException("unknown_operation", 0,
          "the simulator cannot finish a " + task.operation() + " task"));
    };
  }

  private static Future<Output> image(SimTask task, ProviderContext ctx) {
    JsonObject meta = new JsonObject()
        .put("width", SimMedia.IMAGE_SIZE)
        .put("height", SimMedia.IMAGE_SIZE)
        .put("seed", task.seed())
        .put("simulated", true);
    return ctx.vertx().executeBlocking(() -> SimMedia.png(task.seed()))
        .compose(bytes -> store(ctx.artifacts(), "image", bytes, PNG, meta));
  }

  private static Future<Output> video(SimTask task, ProviderContext ctx, BufferedImage source) {
    JsonObject meta = new JsonObject()
        .put("width", SimMedia.VIDEO_WIDTH)
        .put("height", SimMedia.VIDEO_HEIGHT)
        .put("frames", SimMedia.FRAMES)
        .put("duration_ms", SimMedia.FRAMES * SimMedia.FRAME_DELAY_MS)
        .put("seed", task.seed())
        .put("format", "gif")
        .put("simulated", true);
    return ctx.vertx().executeBlocking(() -> SimMedia.gif(task.seed(), source))
        .compose(bytes -> store(ctx.artifacts(), "video", bytes, GIF, meta));
  }

  private static Future<BufferedImage> source(SimTask task, ProviderContext ctx) {
    return ctx.artifacts().path(task.image())
        .recover(err -> Future.failedFuture(badInput("input image " + task.image() + " is not available: " + err.getMessage())))
        .compose(path -> ctx.vertx().executeBlocking(() -> decode(path)));
  }

  private static BufferedImage decode(Path path) {
    try {
      BufferedImage image = ImageIO.read(path.toFile());
      if (image == null) throw badInput("the input is not an image the simulator can read (PNG, JPEG, GIF, BMP)");
      return image;
    } catch (IOException e) {
      throw badInput("cannot read the input image: " + e.getMessage());
    }
  }

  private static Future<Output> store(Artifacts artifacts, String kind, byte[] bytes, String mime, JsonObject meta) {
    return artifacts.store(Buffer.buffer(bytes), mime)
        .map(file -> new Output(kind, file.id(), null, mime, meta));
  }

  private static ProviderException badInput(String text) {
    return new ProviderException("SIM_BAD_INPUT", 0, text);
  }
}
