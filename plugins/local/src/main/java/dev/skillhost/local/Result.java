package dev.skillhost.local;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * What an operation made: a file in the scratch area, ready to be stored.
 *
 * @param kind image or video
 * @param meta facts for the task's output (width, height, duration_ms, …)
 */
record Result(Path file, String kind, String mime, JsonObject meta) {}
