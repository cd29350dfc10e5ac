package dev.skillhost.local;

import java.nio.file.Path;
import java.util.List;

/**
 * One input file of a job, found in the host's store.
 *
 * @param role   image, video, …
 * @param file   the host's artifact id
 * @param path   where the bytes are
 * @param mime   the type the host sniffed from the bytes
 * @param number 1-based position among the inputs of its role, for messages ("input image 2")
 */
record Source(String role, String file, Path path, String mime, int number) {

  String name() {
    return "input " + role + (number > 1 ? " " + number : "");
  }

  /** Exactly one input of {@code role}. */
  static Source one(List<Source> inputs, String role, String operation) {
    List<Source> found = all(inputs, role);
    if (found.size() != 1) {
      throw Invalid.inputs(operation + " takes exactly one input with role " + role + ", not " + found.size());
    }
    return found.get(0);
  }

  static List<Source> all(List<Source> inputs, String role) {
    return inputs.stream().filter(s -> s.role().equals(role)).toList();
  }
}
