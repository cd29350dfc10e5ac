package dev.skillhost.host.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the tasks live, as JDBC needs it: a SQLite file, or a PostgreSQL database given as
 * {@code postgres://user:password@host:port/database} (the form libpq, psql and most hosting
 * dashboards print; {@code postgresql://} too, query parameters such as {@code sslmode} pass on).
 *
 * @param jdbc     the JDBC URL, without credentials
 * @param user     PostgreSQL's user, or null
 * @param password PostgreSQL's password, or null; never printed
 */
public record StoreUrl(Database.Dialect dialect, String jdbc, String user, String password) {

  /** A SQLite file. */
  public static StoreUrl sqlite(Path file) {
    return new StoreUrl(Database.Dialect.SQLITE, "jdbc:sqlite:" + file.toAbsolutePath(), null, null);
  }

  /** Reads a {@code postgres://} URL; fails with a sentence that says what was expected. */
  public static StoreUrl parse(String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("store.url is not a URL (" + e.getReason() + "); expected "
          + "postgres://user:password@host:5432/database");
    }
    if (!"postgres".equals(uri.getScheme()) && !"postgresql".equals(uri.getScheme())) {
      throw new IllegalArgumentException("store.url must be postgres://user:password@host:5432/database (got scheme '"
          + uri.getScheme() + "'); leave it out for the embedded SQLite store");
    }
    if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
      throw new IllegalArgumentException("store.url needs a host and a database: postgres://user:password@host:5432/database");
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
    }
    String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getRawPath()
        + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
    return new StoreUrl(Database.Dialect.POSTGRES, jdbc, user, password);
  }

  /** For logs and errors: the URL without the password. */
  @Override
  public String toString() {
    return user == null ? jdbc : jdbc + " (user " + user + ")";
  }
}
