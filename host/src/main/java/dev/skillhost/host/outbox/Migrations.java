package dev.skillhost.host.outbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a migration script from the class path as its statements, for the outbox's own SQLite
 * tables until the schema moves to Flyway (which then runs the same files, so what the tests run
 * is what Flyway will run). Scripts hold plain DDL: {@code --} comments, statements ending in
 * {@code ;}, no semicolon inside a statement.
 */
final class Migrations {

  private Migrations() {}

  static String[] statements(String resource) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("migration " + resource + " is not on the class path");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)--.*$", "");
      return Arrays.stream(text.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toArray(String[]::new);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
