package dev.skillhost.host.boot;

import dev.skillhost.host.api.ApiKeys;

/** What the host prints when it is up: where it is, the key on first start, and a first task to try. */
final class Banner {

  private Banner() {}

  static String text(Host host) {
    HostConfig c = host.config();
    String base = "http://" + c.http().host() + ":" + host.port();
    String keyFile = c.sharedDir().resolve(ApiKeys.FILE_NAME).toString();
    StringBuilder out = new StringBuilder();
    out.append("Skillhost ").append(Host.VERSION).append(" listening on ").append(base).append('\n');
    out.append("Plugins: ").append(c.pluginsDir()).append(" (").append(host.plugins().statuses().size())
        .append(" found; drop a jar in to load it)\n");
    String key = host.createdKey().orElse(null);
    if (key != null) {
      out.append("\nA new API key was created and saved in ").append(keyFile).append(" (owner-only):\n  ")
          .append(key).append("\n");
    }
    String auth = key != null ? key : "$(grep -v '^#' " + keyFile + " | head -1)";
    out.append("\nSubmit a simulated task and follow it to the end:\n")
        .append("  KEY=").append(auth).append('\n')
        .append("  BASE=").append(base).append('\n')
        .append("  TASK=$(curl -s -H \"Authorization: Bearer $KEY\" -H 'Content-Type: application/json' \\\n")
        .append("    -d '{\"provider\":\"sim\",\"operation\":\"t2v\",\"params\":{\"duration_ms\":3000}}' \\\n")
        .append("    $BASE/v1/tasks | sed -E 's/^\\{\"id\":\"([^\"]+)\".*/\\1/')\n")
        .append("  curl -sN -H \"Authorization: Bearer $KEY\" $BASE/v1/tasks/$TASK/events\n");
    return out.toString();
  }
}
