package dev.skillhost.host.plugins;

/**
 * Why a jar in the plugins dir is not live.
 *
 * @param file     the jar's file name
 * @param pluginId the id it claims, or null if its manifest could not be read
 * @param version  the version it claims, or null
 * @param cause    what went wrong, for people
 */
record Refusal(String file, String pluginId, String version, String cause) implements SlotLoader.Outcome {

  String text() {
    return file + " refused: " + cause;
  }
}
