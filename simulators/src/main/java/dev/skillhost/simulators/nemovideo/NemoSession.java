package dev.skillhost.simulators.nemovideo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One agent session as the backend keeps it: its owner, the draft (short keys: {@code t} tracks,
 * {@code tt} track type 0 video / 1 audio / 7 title, {@code sg} segments, {@code d} ms,
 * {@code m} metadata), the uploaded material and the media the agent generated.
 */
final class NemoSession {

  final String id;
  final String taskId;
  final String userId;
  final String language;
  JsonObject draft = new JsonObject();
  final JsonArray videoInfos = new JsonArray();
  final JsonArray generatedMedia = new JsonArray();
  int messages;
  int edits;

  NemoSession(String id, String taskId, String userId, String language) {
    this.id = id;
    this.taskId = taskId;
    this.userId = userId;
    this.language = language;
  }

  boolean hasVideo() {
    return draft.getJsonArray("t", new JsonArray()).stream()
        .anyMatch(t -> ((JsonObject) t).getInteger("tt", -1) == 0);
  }

  /** Stage one: the raw cut, one video track. */
  void firstCut(String title, String mediaUrl) {
    draft = new JsonObject()
        .put("m", new JsonObject().put("title", title).put("width", 1920).put("height", 1080))
        .put("d", 10000)
        .put("t", new JsonArray().add(new JsonObject().put("tt", 0).put("n", title)
            .put("sg", new JsonArray().add(new JsonObject().put("d", 10000).put("src", mediaUrl)))));
    generatedMedia.add(new JsonObject().put("type", "video").put("url", mediaUrl).put("duration", 10.0));
  }

  /** Stage two, automatic: background music and a title overlay. */
  void postProduction(String title) {
    JsonArray tracks = draft.getJsonArray("t");
    tracks.add(new JsonObject().put("tt", 1).put("n", "Lo-fi")
        .put("sg", new JsonArray().add(new JsonObject().put("d", 10000).put("vol", 35))));
    tracks.add(new JsonObject().put("tt", 7).put("n", title)
        .put("sg", new JsonArray().add(new JsonObject().put("d", 3000).put("text", title))));
  }

  /** An edit: an effect on the first video segment. */
  void edit(String what) {
    edits++;
    JsonArray tracks = draft.getJsonArray("t", new JsonArray());
    for (Object o : tracks) {
      JsonObject track = (JsonObject) o;
      if (track.getInteger("tt", -1) == 0) {
        JsonObject seg = track.getJsonArray("sg").getJsonObject(0);
        seg.put("fx", seg.getJsonArray("fx", new JsonArray()).copy().add(what));
        return;
      }
    }
  }

  JsonObject state() {
    return new JsonObject().put("draft", draft.copy()).put("video_infos", videoInfos.copy())
        .put("canvas_config", new JsonObject().put("width", 1920).put("height", 1080))
        .put("generated_media", generatedMedia.copy()).put("video_analyses", new JsonArray());
  }
}
