package dev.skillhost.host.store;

import dev.skillhost.api.Handle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One generation job, as stored. Immutable: changes make a new value with the {@code with…}
 * methods, and the engine saves it together with the events that describe the change.
 *
 * @param skill   the skill whose manifest governs the task (messages, error map, ETA), or null
 * @param inputs  {@code [{role, file, mime, size}]}
 * @param handle  the provider's durable handle once submitted, else null
 * @param outputs {@code [Output.toJson()]}
 * @param error   {@code {kind, code, http_status, message}} when failed, else null
 * @param progress 0..1, or -1 when unknown
 * @param deadlineAt epoch ms after which the task fails as timed out, or null
 * @param requestHash hash of the request body, to tell an idempotent replay from a key reused for another body
 * @param confirmation the spend confirmation asked for (and maybe given), or null when none was asked
 */
public record Task(
    String id,
    String owner,
    String provider,
    String operation,
    String skill,
    String providerVersion,
    TaskState state,
    long seq,
    JsonObject params,
    JsonArray inputs,
    String locale,
    Handle handle,
    JsonArray outputs,
    JsonObject error,
    double progress,
    Long deadlineAt,
    long createdAt,
    long updatedAt,
    String idempotencyKey,
    String requestHash,
    Confirmation confirmation) {

  /** A task no confirmation was asked for (yet). */
  public Task(String id, String owner, String provider, String operation, String skill, String providerVersion,
      TaskState state, long seq, JsonObject params, JsonArray inputs, String locale, Handle handle, JsonArray outputs,
      JsonObject error, double progress, Long deadlineAt, long createdAt, long updatedAt, String idempotencyKey,
      String requestHash) {
    this(id, owner, provider, operation, skill, providerVersion, state, seq, params, inputs, locale, handle, outputs,
        error, progress, deadlineAt, createdAt, updatedAt, idempotencyKey, requestHash, null);
  }

  public Task withState(TaskState next, long seq, long now) {
    return new Task(id, owner, provider, operation, skill, providerVersion, next, seq, params, inputs, locale, handle,
        outputs, error, progress, deadlineAt, createdAt, now, idempotencyKey, requestHash, confirmation);
  }

  public Task withHandle(Handle next, String version) {
    return new Task(id, owner, provider, operation, skill, version, state, seq, params, inputs, locale, next,
        outputs, error, progress, deadlineAt, createdAt, updatedAt, idempotencyKey, requestHash, confirmation);
  }

  /**
   * The task handed to another skill before anything was submitted (a fallback): its provider,
   * skill and parameters change; it has no handle yet.
   */
  public Task movedTo(String nextProvider, String nextSkill, JsonObject nextParams) {
    return new Task(id, owner, nextProvider, operation, nextSkill, null, state, seq, nextParams, inputs, locale, null,
        outputs, error, progress, deadlineAt, createdAt, updatedAt, idempotencyKey, requestHash);
  }

  public Task withProgress(double next) {
    return new Task(id, owner, provider, operation, skill, providerVersion, state, seq, params, inputs, locale, handle,
        outputs, error, next, deadlineAt, createdAt, updatedAt, idempotencyKey, requestHash, confirmation);
  }

  public Task withOutputs(JsonArray next) {
    return new Task(id, owner, provider, operation, skill, providerVersion, state, seq, params, inputs, locale, handle,
        next, error, progress, deadlineAt, createdAt, updatedAt, idempotencyKey, requestHash, confirmation);
  }

  public Task withError(JsonObject next) {
    return new Task(id, owner, provider, operation, skill, providerVersion, state, seq, params, inputs, locale, handle,
        outputs, next, progress, deadlineAt, createdAt, updatedAt, idempotencyKey, requestHash, confirmation);
  }

  public Task withConfirmation(Confirmation next) {
    return new Task(id, owner, provider, operation, skill, providerVersion, state, seq, params, inputs, locale, handle,
        outputs, error, progress, deadlineAt, createdAt, updatedAt, idempotencyKey, requestHash, next);
  }

  /** The task as the API shows it (snake_case; no owner, no request hash). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("provider", provider)
        .put("operation", operation)
        .put("skill", skill)
        .put("state", state.wire())
        .put("seq", seq)
        .put("params", params)
        .put("inputs", inputs)
        .put("locale", locale)
        .put("outputs", outputs)
        .put("created_at", Instant.ofEpochMilli(createdAt).toString())
        .put("updated_at", Instant.ofEpochMilli(updatedAt).toString());
    if (progress >= 0) json.put("progress", progress);
    if (providerVersion != null) json.put("provider_version", providerVersion);
    if (handle != null) json.put("upstream_id", handle.id());
    if (error != null) json.put("error", error);
    if (deadlineAt != null) json.put("deadline_at", Instant.ofEpochMilli(deadlineAt).toString());
    if (confirmation != null) json.put("confirmation", confirmation.toJson());
    return json;
  }
}
