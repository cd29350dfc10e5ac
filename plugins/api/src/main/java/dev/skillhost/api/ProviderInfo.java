package dev.skillhost.api;

import java.util.List;
import java.util.Optional;

/**
 * What a provider offers: its operations, models and the rate limits its backend publishes.
 *
 * @param id          provider id, e.g. {@code chatart}; must equal the plugin id
 * @param name        display name
 * @param description one line for {@code GET /v1/providers}
 * @param kind        whether this is a real cloud backend, local work or a simulator
 * @param operations  the operations it can run
 * @param models      the models it knows, with their constraints
 * @param rateBuckets the backend's published rate limits, enforced by the host's scheduler
 * @param streams     true if {@link Provider#stream} follows tasks by push instead of polling
 */
public record ProviderInfo(
    String id,
    String name,
    String description,
    Kind kind,
    List<OperationInfo> operations,
    List<ModelInfo> models,
    List<RateBucket> rateBuckets,
    boolean streams) {

  /** Where the work happens. */
  public enum Kind {
    /** A remote backend that spends the user's credits. */
    CLOUD,
    /** Real work on this machine, no account needed. */
    LOCAL,
    /** No real work at all: for trials, tests and benchmarks. */
    SIMULATED
  }

  public ProviderInfo {
    operations = List.copyOf(operations);
    models = List.copyOf(models);
    rateBuckets = List.copyOf(rateBuckets);
  }

  /** The operation with this name, if offered. */
  public Optional<OperationInfo> operation(String name) {
    return operations.stream().filter(o -> o.name().equals(name)).findFirst();
  }
}
