package dev.skillhost.host.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The host's HTTP API as blocking calls that answer JSON or fail with a {@link CliException}.
 *
 * <p>The JDK's {@link HttpClient} rather than Vert.x's: a CLI run is one short conversation in
 * order (upload, route, submit, follow, download), which reads best as straight-line blocking
 * code, and there is no event loop to start, keep referenced and close before {@code exit}.
 */
final class HostClient {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  // HTTP/1.1: the JDK would otherwise offer an h2c upgrade, which holds back a streamed SSE body
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
      .followRedirects(HttpClient.Redirect.NORMAL).build();
  private final URI base;
  private final String key;
  private final String keySource;
  private final String locale;

  HostClient(URI base, String key, String keySource, String locale) {
    this.base = base;
    this.key = key;
    this.keySource = keySource;
    this.locale = locale;
  }

  URI base() {
    return base;
  }

  JsonObject get(String path) {
    return json(call(request(path).GET().build(), BodyHandlers.ofString()));
  }

  JsonObject post(String path, JsonObject body) {
    return post(path, body, null);
  }

  /** A POST; {@code idempotencyKey} lets the host answer a retried submit with the first task. */
  JsonObject post(String path, JsonObject body, String idempotencyKey) {
    HttpRequest.Builder r = request(path).header("Content-Type", "application/json")
        .POST(body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body.encode()));
    if (idempotencyKey != null) {
      r.header("Idempotency-Key", idempotencyKey);
    }
    return json(call(r.build(), BodyHandlers.ofString()));
  }

  /** {@code POST /v1/uploads} as multipart, streaming the file from disk; answers the file record. */
  JsonObject upload(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CliException(CliException.BAD_INPUT, "No file at " + file + ".");
    }
    String boundary = "skillhost-" + UUID.randomUUID();
    String name = file.getFileName().toString().replace("\"", "");
    String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    try {
      HttpRequest r = request("/v1/uploads").header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .timeout(Duration.ofMinutes(30))
          .POST(BodyPublishers.concat(BodyPublishers.ofString(head), BodyPublishers.ofFile(file),
              BodyPublishers.ofString("\r\n--" + boundary + "--\r\n")))
          .build();
      return json(call(r, BodyHandlers.ofString()));
    } catch (FileNotFoundException e) {
      throw new CliException(CliException.BAD_INPUT, "Cannot read " + file + ".");
    }
  }

  /**
   * Saves a host file ({@code /v1/files/{id}}) or, for an output kept only upstream, its URL into
   * {@code target}, through a temporary name so a broken download leaves no half file. The key goes
   * to the host alone, never to another origin.
   */
  void download(String fileId, String url, Path target) {
    URI uri = fileId != null ? base.resolve("/v1/files/" + fileId) : URI.create(url);
    HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30)).GET();
    if (fileId != null) {
      r.header("Authorization", "Bearer " + key);
    }
    Path part = target.resolveSibling("." + target.getFileName() + ".part");
    HttpResponse<Path> response = call(r.build(), BodyHandlers.ofFile(part));
    try {
      if (response.statusCode() >= 400) {
        Files.deleteIfExists(part);
        throw new CliException(CliException.FAILED, "Could not download " + uri + ": HTTP " + response.statusCode() + ".");
      }
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "Could not save " + target + ": " + e.getMessage() + ".");
    }
  }

  /** An SSE stream of a task's events after {@code since}; the caller closes the line stream. */
  Stream<String> events(String taskId, long since) {
    HttpRequest r = request("/v1/tasks/" + taskId + "/events").setHeader("Accept", "text/event-stream")
        .header("Last-Event-ID", Long.toString(since)).GET().build();
    HttpResponse<Stream<String>> response = call(r, BodyHandlers.ofLines());
    if (response.statusCode() >= 400) {
      String body = String.join("\n", response.body().toList());
      throw problem(response.statusCode(), body);
    }
    if (!response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
      response.body().close();
      throw new CliException(CliException.FAILED, "The server at " + base + " does not stream task events; is it a Skillhost host?");
    }
    return response.body();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(CALL_TIMEOUT)
        .header("Authorization", "Bearer " + key).header("Accept", "application/json");
    if (locale != null) {
      r.header("Accept-Language", locale);
    }
    return r;
  }

  private <T> HttpResponse<T> call(HttpRequest request, BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw unreachable();
    } catch (IOException e) {
      throw new CliException(CliException.UNREACHABLE, "Lost the connection to the host at " + base
          + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")") + ".");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.FAILED, "Interrupted.");
    }
  }

  CliException unreachable() {
    return new CliException(CliException.UNREACHABLE, "Cannot reach the host at " + base
        + "; is it running (skillhost serve), and is --url or SKILLHOST_URL right?");
  }

  private JsonObject json(HttpResponse<String> response) {
    if (response.statusCode() >= 400) {
      throw problem(response.statusCode(), response.body());
    }
    try {
      return response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
    } catch (DecodeException | ClassCastException e) {
      throw new CliException(CliException.FAILED, "The server at " + base + " did not answer JSON; is it a Skillhost host?");
    }
  }

  /** One sentence from a problem+json answer: the host's own detail, or what the status means here. */
  private CliException problem(int status, String body) {
    if (status == 401) {
      return new CliException(CliException.FAILED, "The host at " + base + " refused the API key from " + keySource
          + "; pass --key, set SKILLHOST_KEY, or point --data-dir at the host's data directory.");
    }
    String detail = null;
    try {
      JsonObject p = new JsonObject(body);
      detail = p.getString("detail", p.getString("title"));
    } catch (DecodeException | ClassCastException e) {
      // not problem+json: say what we know
    }
    if (detail == null || detail.isBlank()) {
      detail = "The host at " + base + " answered HTTP " + status + ".";
    }
    return new CliException(CliException.FAILED, detail.strip());
  }
}
