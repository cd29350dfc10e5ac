package dev.skillhost.contract.mcp;

import dev.skillhost.host.boot.HostConfig;
import dev.skillhost.host.testing.TestHost;
import dev.skillhost.simulators.chatart.ChatArtSimulator;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A real host for the MCP tests: the repository's skills copied into a directory of the test's own
 * (so a test may edit a manifest), the sim plugin, and optionally the real ChatArt plugin jar
 * against a ChatArt simulator. Opens official-SDK clients on {@code /mcp} and speaks raw JSON-RPC
 * over a Vert.x {@link WebClient} for what the SDK hides (headers, status codes, request ids).
 */
final class McpJavaFixture {

  static final String LATEST = "2025-11-25";
  static final String CHATART_UID = "id_mcp";
  static final String CHATART_KEY = "sk-chatart-mcp";

  final TestHost host;
  final Path skills;
  final ChatArtSimulator chatart;
  /** Every HTTP status the raw client saw, to assert the host never answered a 5xx. */
  final List<Integer> statuses = new CopyOnWriteArrayList<>();
  private final WebClient web;
  private final List<McpSyncClient> clients = new ArrayList<>();
  /** The protocol revision each raw session negotiated (sent back as MCP-Protocol-Version). */
  private final Map<String, String> versions = new java.util.concurrent.ConcurrentHashMap<>();

  private McpJavaFixture(TestHost host, Path skills, ChatArtSimulator chatart) {
    this.host = host;
    this.skills = skills;
    this.chatart = chatart;
    this.web = WebClient.create(host.vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
  }

  /** A host with the sim plugin only. */
  static Future<McpJavaFixture> start(Vertx vertx, Path dir) {
    return start(vertx, dir, null);
  }

  /** A host with the sim plugin and the ChatArt plugin pointed at a ChatArt simulator. */
  static Future<McpJavaFixture> startWithChatArt(Vertx vertx, Path dir, double credits) {
    return ChatArtSimulator.start(vertx, new JsonObject().put("polls_until_done", 2)).compose(sim -> {
      sim.account(CHATART_UID, CHATART_KEY, credits);
      return start(vertx, dir, sim);
    });
  }

  private static Future<McpJavaFixture> start(Vertx vertx, Path dir, ChatArtSimulator sim) {
    Path skills;
    Path data = dir.resolve("host");
    Map<String, JsonObject> providers = Map.of();
    try {
      skills = Files.createDirectories(dir.resolve("skills"));
      try (var files = Files.list(Path.of("..", "skills"))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Files.copy(f, skills.resolve(f.getFileName()));
        }
      }
      Files.createDirectories(data.resolve("plugins"));
      if (sim != null) {
        Files.copy(TestHost.pluginJar("chatart"), data.resolve("plugins").resolve("chatart.jar"));
        providers = Map.of("chatart", new JsonObject().put("base_url", sim.baseUrl()).put("oss_endpoint", sim.ossEndpoint())
            .put("secrets", new JsonObject().put("CHATARTPRO_UID", CHATART_UID).put("CHATARTPRO_API_KEY", CHATART_KEY)));
      }
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    Map<String, JsonObject> sections = providers;
    return TestHost.start(vertx, data, c -> c
            .withSkills(new HostConfig.Skills(skills, HostConfig.Skills.DEFAULT_PREFER))
            .withProviders(sections))
        .map(h -> new McpJavaFixture(h, skills, sim));
  }

  Future<Void> close() {
    for (McpSyncClient c : clients) {
      try {
        c.closeGracefully();
      } catch (RuntimeException ignored) {
        // the host may already have ended the session; nothing to clean up then
      }
    }
    web.close();
    Future<Void> closed = host.close();
    return chatart == null ? closed : closed.eventually(chatart::close);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + host.port();
  }

  // ---- the official SDK client ----

  /** A client spec for {@code apiKey}: bounded timeouts, the bearer key on every request. */
  McpClient.SyncSpec spec(String apiKey, String... protocolVersions) {
    var transport = HttpClientStreamableHttpTransport.builder(baseUrl())
        .endpoint("/mcp")
        .connectTimeout(Duration.ofSeconds(5))
        .httpRequestCustomizer((builder, method, uri, body, context) -> builder.header("Authorization", "Bearer " + apiKey));
    if (protocolVersions.length > 0) {
      transport.supportedProtocolVersions(List.of(protocolVersions));
    }
    return McpClient.sync(transport.build())
        .clientInfo(new McpSchema.Implementation("skillhost-contract", "0.1.0"))
        // checks each structuredContent against the tool's outputSchema (cached by listTools)
        .enableCallToolSchemaCaching(true)
        .requestTimeout(Duration.ofSeconds(40))
        .initializationTimeout(Duration.ofSeconds(10));
  }

  /**
   * Builds, initializes and keeps (to close it after the test) a client of the host's first key;
   * lists the tools once so the client validates every tool result against its outputSchema.
   */
  McpSyncClient open(UnaryOperator<McpClient.SyncSpec> features) {
    McpSyncClient c = features.apply(spec(host.key)).build();
    clients.add(c);
    c.initialize();
    c.listTools();
    return c;
  }

  McpSyncClient open() {
    return open(UnaryOperator.identity());
  }

  static McpSchema.CallToolResult call(McpSyncClient c, String tool, Map<String, Object> args) {
    return c.callTool(McpSchema.CallToolRequest.builder().name(tool).arguments(args).build());
  }

  /** The structured content of a tool result as Vert.x JSON. */
  static JsonObject structured(McpSchema.CallToolResult r) {
    if (r.structuredContent() == null) {
      throw new AssertionError("no structuredContent in " + r);
    }
    return JsonObject.mapFrom(r.structuredContent());
  }

  /** The text of the result's first text content item. */
  static String text(McpSchema.CallToolResult r) {
    return r.content().stream().filter(c -> c instanceof McpSchema.TextContent)
        .map(c -> ((McpSchema.TextContent) c).text()).findFirst().orElse(null);
  }

  // ---- raw JSON-RPC over HTTP ----

  /** One raw HTTP exchange with /mcp: its status, headers and the JSON-RPC messages in the body. */
  record Answer(int status, String sessionId, String contentType, List<JsonObject> messages, String body) {
    /** The response to request {@code id} (a result or an error), or null. */
    JsonObject response(Object id) {
      return messages.stream().filter(m -> id.equals(m.getValue("id")) && (m.containsKey("result") || m.containsKey("error")))
          .findFirst().orElse(null);
    }
  }

  /** POSTs one JSON-RPC message; {@code apiKey} and {@code session} may be null to leave the header out. */
  Future<Answer> post(String apiKey, String session, JsonObject message) {
    return send(HttpMethod.POST, apiKey, session, Buffer.buffer(message.encode()));
  }

  Future<Answer> send(HttpMethod method, String apiKey, String session, Buffer body) {
    HttpRequest<Buffer> r = web.request(method, host.port(), "127.0.0.1", "/mcp")
        .putHeader("Accept", "application/json, text/event-stream")
        .timeout(40_000);
    if (apiKey != null) {
      r.bearerTokenAuthentication(apiKey);
    }
    if (session != null) {
      r.putHeader("Mcp-Session-Id", session).putHeader("MCP-Protocol-Version", versions.getOrDefault(session, LATEST));
    }
    Future<HttpResponse<Buffer>> sent;
    if (body == null) {
      sent = r.send();
    } else {
      sent = r.putHeader("Content-Type", "application/json").sendBuffer(body);
    }
    return sent.map(res -> {
      statuses.add(res.statusCode());
      String type = res.getHeader("Content-Type");
      String text = res.bodyAsString();
      return new Answer(res.statusCode(), res.getHeader("Mcp-Session-Id"), type, messages(type, text), text);
    });
  }

  /** Initializes a raw session for {@code apiKey} (and sends notifications/initialized); answers its id. */
  Future<String> initialize(String apiKey) {
    return initialize(apiKey, LATEST);
  }

  /** As {@link #initialize(String)}, asking for protocol revision {@code version}. */
  Future<String> initialize(String apiKey, String version) {
    JsonObject init = request(0, "initialize", new JsonObject().put("protocolVersion", version)
        .put("capabilities", new JsonObject())
        .put("clientInfo", new JsonObject().put("name", "raw").put("version", "0")));
    return post(apiKey, null, init).compose(a -> {
      if (a.status() != 200 || a.sessionId() == null || a.response(0) == null) {
        throw new AssertionError("initialize answered " + a.status() + " session " + a.sessionId() + ": " + a.body());
      }
      versions.put(a.sessionId(), a.response(0).getJsonObject("result").getString("protocolVersion"));
      return post(apiKey, a.sessionId(), new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"))
          .map(n -> a.sessionId());
    });
  }

  /** A raw tools/call; answers the JSON-RPC response to it. */
  Future<JsonObject> callTool(String apiKey, String session, Object id, String tool, JsonObject args) {
    return rpc(apiKey, session, id, "tools/call", new JsonObject().put("name", tool).put("arguments", args));
  }

  /** A raw JSON-RPC request; answers the response to it (a result or an error). */
  Future<JsonObject> rpc(String apiKey, String session, Object id, String method, JsonObject params) {
    return post(apiKey, session, request(id, method, params))
        .map(a -> {
          JsonObject res = a.response(id);
          if (res == null) {
            throw new AssertionError("no response to " + id + " (HTTP " + a.status() + "): " + a.body());
          }
          return res;
        });
  }

  static JsonObject request(Object id, String method, JsonObject params) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method).put("params", params);
  }

  /** The JSON-RPC messages of a body: one JSON object (or batch), or the data of each SSE event. */
  static List<JsonObject> messages(String contentType, String body) {
    List<JsonObject> out = new ArrayList<>();
    if (body == null || body.isBlank()) {
      return out;
    }
    if (contentType != null && contentType.startsWith("text/event-stream")) {
      for (String event : body.replace("\r\n", "\n").split("\n\n")) {
        StringBuilder data = new StringBuilder();
        for (String line : event.split("\n")) {
          if (line.startsWith("data:")) {
            data.append(data.length() == 0 ? "" : "\n").append(line.substring(5).stripLeading());
          }
        }
        if (!data.toString().isBlank()) {
          out.add(new JsonObject(data.toString()));
        }
      }
    } else if (contentType != null && contentType.startsWith("application/json")) {
      String trimmed = body.strip();
      if (trimmed.startsWith("[")) {
        new JsonArray(trimmed).forEach(m -> out.add((JsonObject) m));
      } else {
        out.add(new JsonObject(trimmed));
      }
    }
    return out;
  }
}
