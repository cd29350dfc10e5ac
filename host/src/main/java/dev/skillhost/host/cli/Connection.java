package dev.skillhost.host.cli;

import dev.skillhost.host.api.ApiKeys;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every client command shares: where the host is, which key to use, and whether to
 * answer in JSON. Each comes from a flag, else the environment, else the host's own files.
 */
public final class Connection {

  static final String DEFAULT_URL = "http://127.0.0.1:8080";
  static final String DEFAULT_DATA_DIR = "data";

  @Option(names = "--url", paramLabel = "URL",
      description = "The host's base URL (default: $SKILLHOST_URL, else " + DEFAULT_URL + ").")
  String url;

  @Option(names = "--key", paramLabel = "KEY",
      description = "API key (default: $SKILLHOST_KEY, else the first key in <data dir>/api-keys; $SKILLHOST_SHARED_DIR/api-keys when set).")
  String key;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "The host's data directory, where it keeps api-keys (default: $SKILLHOST_DATA_DIR, else ./data).")
  Path dataDir;

  @Option(names = "--json", description = "Print JSON for scripts instead of text.")
  boolean json;

  /** A client for the host these options point at; fails with one sentence if they cannot. */
  HostClient client(String locale) {
    return client(locale, System.getenv());
  }

  HostClient client(String locale, Map<String, String> env) {
    URI base = base(url != null ? url : env.getOrDefault("SKILLHOST_URL", DEFAULT_URL));
    if (key != null) {
      return new HostClient(base, key, "--key", locale);
    }
    String fromEnv = env.get("SKILLHOST_KEY");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new HostClient(base, fromEnv.strip(), "SKILLHOST_KEY", locale);
    }
    // several hosts keep their keys in the shared directory
    Path dir = dataDir != null ? dataDir : Path.of(env.getOrDefault("SKILLHOST_SHARED_DIR",
        env.getOrDefault("SKILLHOST_DATA_DIR", DEFAULT_DATA_DIR)));
    Path file = dir.resolve(ApiKeys.FILE_NAME);
    return new HostClient(base, keyFrom(file), file.toString(), locale);
  }

  private static URI base(String text) {
    try {
      URI uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw new CliException(CliException.BAD_INPUT, "'" + text + "' is not an http:// or https:// URL of a host.");
  }

  /** The first key in the host's key file, read the way {@link ApiKeys} writes it. */
  private static String keyFrom(Path file) {
    if (!Files.isReadable(file)) {
      throw new CliException(CliException.BAD_INPUT, "No API key: pass --key, set SKILLHOST_KEY, or run where the host"
          + " keeps " + file + " (or point --data-dir at its data directory).");
    }
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst()
          .orElseThrow(() -> new CliException(CliException.BAD_INPUT, file + " holds no API key."));
    } catch (IOException e) {
      throw new CliException(CliException.BAD_INPUT, "Cannot read " + file + ": " + e.getMessage() + ".");
    }
  }
}
