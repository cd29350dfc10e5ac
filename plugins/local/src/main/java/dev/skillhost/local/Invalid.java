package dev.skillhost.local;

import dev.skillhost.api.ProviderException;
import dev.skillhost.local.media.MediaException;

/**
 * The errors a bad request or a bad input file end in. Each has a 4xx HTTP status, which the host
 * classifies as {@code invalid_input} (and, at submit, as refused: nothing was spent), and a code
 * naming the problem.
 */
final class Invalid {

  private Invalid() {}

  /** A parameter with a wrong type or value. */
  static ProviderException params(String text) {
    return new ProviderException("invalid_params", 400, text);
  }

  static ProviderException aspectRatio(String text) {
    return new ProviderException("unsupported_aspect_ratio", 400, text);
  }

  static ProviderException overLimit(String code, String text) {
    return new ProviderException(code, 400, text);
  }

  /** The inputs do not fit the operation (missing, too many, wrong role). */
  static ProviderException inputs(String text) {
    return new ProviderException("invalid_inputs", 400, text);
  }

  /** A result that would be larger than the limits allow. */
  static ProviderException outputTooLarge(String text) {
    return new ProviderException("output_too_large", 422, text);
  }

  /** An input file that cannot be used; {@code which} names it, e.g. "input image 2". */
  static ProviderException media(String which, MediaException e) {
    String text = which + ": " + e.getMessage();
    return switch (e.problem()) {
      case NOT_MEDIA -> new ProviderException("unsupported_media", 415, text);
      case CORRUPT -> new ProviderException("corrupt_input", 400, text);
      case TOO_LARGE -> new ProviderException("input_too_large", 413, text);
    };
  }
}
