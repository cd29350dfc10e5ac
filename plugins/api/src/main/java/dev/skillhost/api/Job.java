package dev.skillhost.api;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What to run: one task's operation, parameters and inputs, as the host hands it to a provider.
 *
 * @param taskId    the host's task id; stable, so usable as an upstream idempotency key
 * @param operation operation name from {@link ProviderInfo#operations()}
 * @param params    parameters, defaults already applied (free-form JSON, snake_case)
 * @param inputs    input files, already in the host's artifact store
 * @param locale    the user's locale, e.g. {@code zh-CN}
 */
public record Job(String taskId, String operation, JsonObject params, List<Input> inputs, String locale) {

  public Job {
    params = params == null ? new JsonObject() : params.copy();
    inputs = List.copyOf(inputs);
  }

  /**
   * One input file.
   *
   * @param role image, video, audio, mask or reference
   * @param file artifact id; read it through {@link Artifacts#path(String)}
   * @param mime sniffed content type
   * @param size bytes
   */
  public record Input(String role, String file, String mime, long size) {}
}
