package dev.skillhost.libtv;

import dev.skillhost.api.ProviderException;
import java.util.Optional;

/**
 * The LibTV key and the backend its prefix picks. {@code mgk_…} keys belong to the Nexu-managed
 * Seedance gateway, {@code sk-libtv-…} keys to LibTV's own OpenAPI; nothing else is a key. The
 * official client (nexu libtv_video.py {@code _detect_auth_mode}) routes the same way, and a
 * personal {@code sk-libtv-} key must never reach the gateway: the mode is fixed by the key, so
 * no code path can send it there.
 *
 * @param value the key as configured
 * @param mode  the backend it belongs to
 */
record LibTvKey(String value, Mode mode) {

  /** The secret's name, as the upstream LibTV scripts read it. */
  static final String SECRET = "LIBTV_ACCESS_KEY";
  static final String GATEWAY_PREFIX = "mgk_";
  /** With a hyphen: the seed's {@code sk-libtv_xxx} is a typo the code refuses. */
  static final String DIRECT_PREFIX = "sk-libtv-";
  /** The official client's words, kept so the skill's error map knows them. */
  static final String FORMAT_PROBLEM = "Invalid API Key format. Expected mgk_... or sk-libtv-....";

  /** Which backend a key speaks to. */
  enum Mode {
    GATEWAY("nexu_gateway"),
    DIRECT("libtv_direct");

    final String wire;

    Mode(String wire) {
      this.wire = wire;
    }

    static Mode fromWire(String wire) {
      for (Mode m : values()) {
        if (m.wire.equals(wire)) return m;
      }
      throw new IllegalArgumentException("unknown LibTV mode " + wire);
    }
  }

  /** The mode of {@code value}, or empty when its prefix is neither. */
  static Optional<LibTvKey> parse(String value) {
    if (value == null) return Optional.empty();
    String key = value.trim();
    if (key.startsWith(GATEWAY_PREFIX) && key.length() > GATEWAY_PREFIX.length()) {
      return Optional.of(new LibTvKey(key, Mode.GATEWAY));
    }
    if (key.startsWith(DIRECT_PREFIX) && key.length() > DIRECT_PREFIX.length()) {
      return Optional.of(new LibTvKey(key, Mode.DIRECT));
    }
    return Optional.empty();
  }

  /** One line saying what is wrong with the configured key, or empty when it is usable. */
  static Optional<String> problem(Optional<String> configured) {
    if (configured.isEmpty()) {
      return Optional.of("No API key configured for LibTV: set " + SECRET + " to an mgk_… (Nexu Seedance gateway) or sk-libtv-… (LibTV) key.");
    }
    if (parse(configured.get()).isEmpty()) {
      return Optional.of(FORMAT_PROBLEM + " " + SECRET + " must start with mgk_ (Nexu Seedance gateway) or sk-libtv- (LibTV direct).");
    }
    return Optional.empty();
  }

  /** The usable key, or a refusal that spent nothing. */
  static LibTvKey require(Optional<String> configured) {
    Optional<String> problem = problem(configured);
    if (problem.isPresent()) {
      throw ProviderException.rejected(configured.isEmpty() ? "missing_key" : "invalid_key_format", problem.get());
    }
    return parse(configured.get()).orElseThrow();
  }

  /** For logs and account ids: the prefix and the last four characters only. */
  String masked() {
    String prefix = mode == Mode.GATEWAY ? GATEWAY_PREFIX : DIRECT_PREFIX;
    return prefix + "…" + value.substring(Math.max(prefix.length(), value.length() - 4));
  }

  @Override
  public String toString() {
    return "LibTvKey[" + masked() + "]";
  }
}
