package dev.skillhost.local;

import dev.skillhost.api.OperationInfo;
import java.time.Duration;
import java.util.List;

/** The operations this provider runs, and how each is planned from its parameters and inputs. */
final class Operations {

  static final List<OperationInfo> ALL = List.of(
      new OperationInfo("i2v", "Animate a still with a camera move (zoom, pan, push-in): H.264 MP4 up to 1080p",
          List.of("image"), Duration.ofSeconds(10)),
      new OperationInfo("slideshow", "Several stills in one video with crossfades and a camera move each",
          List.of("image"), Duration.ofSeconds(20)),
      new OperationInfo("extend", "A longer video from a video: loop, boomerang or hold the last frame",
          List.of("video"), Duration.ofSeconds(20)),
      new OperationInfo("image_edit", "Upscale 2x/4x, reframe to an aspect ratio, PNG/JPEG, looks",
          List.of("image"), Duration.ofSeconds(3)));

  private Operations() {}

  /** Checks the parameters and probes the inputs' headers; fails with a {@code ProviderException}. */
  static Work plan(String operation, Params params, List<Source> inputs, Limits limits) {
    return switch (operation) {
      case "i2v" -> I2v.plan(params, inputs, limits);
      case "slideshow" -> Slideshow.plan(params, inputs, limits);
      case "extend" -> Extend.plan(params, inputs, limits);
      case "image_edit" -> ImageEdit.plan(params, inputs, limits);
      default -> throw Invalid.params("the local provider runs i2v, slideshow, extend and image_edit, not " + operation);
    };
  }
}
