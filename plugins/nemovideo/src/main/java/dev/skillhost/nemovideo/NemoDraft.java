package dev.skillhost.nemovideo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reading the session state ({@code data.state}), the only place a generation's result shows:
 * there is no job id or status. The draft uses short keys: {@code t} tracks, {@code tt} track type
 * (0 video, 1 audio/BGM, 7 text/title), {@code sg} segments, {@code d} ms, {@code m} metadata.
 */
final class NemoDraft {

  private NemoDraft() {}

  static JsonObject draft(JsonObject state) {
    return state.getJsonObject("draft", new JsonObject());
  }

  /** A fingerprint of what a generation or edit changes: the draft and the generated media. */
  static String digest(JsonObject state) {
    String basis = draft(state).encode() + "|" + state.getJsonArray("generated_media", new JsonArray()).encode();
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(basis.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** "Exportable when draft.t exists and at least one track has a non-empty sg." */
  static boolean exportable(JsonObject draft) {
    return tracks(draft).stream().anyMatch(t -> t instanceof JsonObject o && !o.getJsonArray("sg", new JsonArray()).isEmpty());
  }

  /** Both stages done: the video, and the music and title the second stage adds. */
  static boolean postProduced(JsonObject draft) {
    return has(draft, 0) && has(draft, 1) && has(draft, 7);
  }

  static long durationMs(JsonObject draft) {
    Long d = draft.getLong("d");
    if (d != null) return d;
    long max = 0;
    for (Object t : tracks(draft)) {
      long sum = 0;
      for (Object s : ((JsonObject) t).getJsonArray("sg", new JsonArray())) {
        sum += ((JsonObject) s).getLong("d", 0L);
      }
      max = Math.max(max, sum);
    }
    return max;
  }

  /** "Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: …" */
  static String summary(JsonObject draft) {
    JsonArray tracks = tracks(draft);
    if (tracks.isEmpty()) {
      return "Timeline is empty: nothing generated yet.";
    }
    StringBuilder sb = new StringBuilder("Timeline (").append(tracks.size()).append(tracks.size() == 1 ? " track):" : " tracks):");
    for (int i = 0; i < tracks.size(); i++) {
      JsonObject t = tracks.getJsonObject(i);
      int tt = t.getInteger("tt", -1);
      String kind = tt == 0 ? "Video" : tt == 1 ? "BGM" : tt == 7 ? "Title" : "Track";
      long ms = 0;
      Integer vol = null;
      for (Object s : t.getJsonArray("sg", new JsonArray())) {
        ms += ((JsonObject) s).getLong("d", 0L);
        if (((JsonObject) s).getValue("vol") instanceof Number n) vol = n.intValue();
      }
      String name = t.getString("n", "");
      sb.append(' ').append(i + 1).append(". ").append(kind).append(": ")
          .append(tt == 7 ? "\"" + name + "\"" : name)
          .append(" (0-").append(Math.round(ms / 1000.0)).append('s').append(vol != null ? ", " + vol + "%" : "").append(')');
    }
    return sb.toString();
  }

  private static boolean has(JsonObject draft, int type) {
    return tracks(draft).stream().anyMatch(t -> t instanceof JsonObject o && o.getInteger("tt", -1) == type
        && !o.getJsonArray("sg", new JsonArray()).isEmpty());
  }

  private static JsonArray tracks(JsonObject draft) {
    return draft.getJsonArray("t", new JsonArray());
  }
}
