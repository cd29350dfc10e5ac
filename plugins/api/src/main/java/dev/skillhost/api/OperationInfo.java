package dev.skillhost.api;

import java.time.Duration;
import java.util.List;

/**
 * One operation a provider runs, such as {@code t2v} or {@code text2image}.
 *
 * @param name        operation name as used in tasks and manifests
 * @param description one line for people
 * @param inputs      input roles it accepts ({@code image}, {@code video}, {@code audio},
 *                    {@code mask}, {@code reference})
 * @param eta         typical time to a result, used to pace polling when no skill gives one
 */
public record OperationInfo(String name, String description, List<String> inputs, Duration eta) {

  public OperationInfo {
    inputs = List.copyOf(inputs);
  }
}
