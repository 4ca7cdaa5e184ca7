package io.docstream.topology;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.state.DocumentReader;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's HTTP read API: {@code GET /docs/{space}/{id}}, {@code GET
 * /docs/{space}/{id}/deltas?after=S}, {@code /metrics} and {@code /healthz}. A request for a
 * document another instance owns is forwarded there once; while the document's partition migrates
 * the answer is 503 with {@code Retry-After}.
 */
public final class ReadApi implements AutoCloseable {
  static final String FORWARDED_HEADER = "X-Docstream-Forwarded";
  private static final Logger LOG = LoggerFactory.getLogger(ReadApi.class);
  private static final String DOCS = "/docs/";
  private static final String DELTAS = "/deltas";
  private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);

  static {
    // The JDK server writes headers and body separately; with Nagle's algorithm and delayed ACKs
    // every keep-alive response then waits ~40 ms. Read once, before the first server starts.
    System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final DocumentLocator locator;
  private final PrometheusMeterRegistry metrics;
  private final Supplier<ObjectNode> health;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(FORWARD_TIMEOUT).build();

  public ReadApi(
      String host,
      int port,
      DocumentLocator locator,
      PrometheusMeterRegistry metrics,
      Supplier<ObjectNode> health)
      throws IOException {
    this.locator = locator;
    this.metrics = metrics;
    this.health = health;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
    this.executor = Executors.newFixedThreadPool(4, r -> new Thread(r, "docstream-read-api"));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      route(exchange);
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      if (!"GET".equals(exchange.getRequestMethod())) {
        error(exchange, 405, ErrorCode.BAD_REQUEST, "only GET is supported");
      } else if (path.equals("/metrics")) {
        send(exchange, 200, "text/plain; version=0.0.4", metrics.scrape());
      } else if (path.equals("/healthz")) {
        ObjectNode status = health.get();
        send(
            exchange,
            status.path("ok").asBoolean() ? 200 : 503,
            "application/json",
            Json.text(status));
      } else if (path.startsWith(DOCS)) {
        docs(exchange, path.substring(DOCS.length()));
      } else {
        error(exchange, 404, ErrorCode.NOT_FOUND, "no route " + path);
      }
    } catch (DocstreamException e) {
      error(exchange, 400, e.errorCode(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(exchange, 503, ErrorCode.INTERNAL, "interrupted");
    } catch (RuntimeException e) {
      LOG.warn("read API failed on {}", exchange.getRequestURI(), e);
      error(exchange, 500, ErrorCode.INTERNAL, "internal error");
    }
  }

  private void docs(HttpExchange exchange, String rest) throws IOException, InterruptedException {
    boolean deltas = rest.endsWith(DELTAS) && rest.indexOf('/') != rest.lastIndexOf('/');
    String doc =
        DocKey.parse(deltas ? rest.substring(0, rest.length() - DELTAS.length()) : rest).toString();
    long after = deltas ? afterParam(exchange.getRequestURI().getRawQuery()) : 0;
    DocumentLocation location = locator.locate(doc);
    if (location instanceof DocumentLocation.Remote remote) {
      if (exchange.getRequestHeaders().containsKey(FORWARDED_HEADER)) {
        migrating(exchange, "ownership of " + doc + " is moving");
      } else {
        forward(exchange, remote.baseUrl());
      }
    } else if (location instanceof DocumentLocation.Migrating m) {
      migrating(exchange, m.reason());
    } else {
      DocumentReader reader = ((DocumentLocation.Local) location).reader();
      if (deltas) {
        sendDeltas(exchange, doc, after, reader);
      } else {
        sendSnapshot(exchange, doc, reader);
      }
    }
  }

  private void sendSnapshot(HttpExchange exchange, String doc, DocumentReader reader)
      throws IOException, InterruptedException {
    Optional<DocumentReader.Snapshot> snapshot = reader.snapshot(doc);
    if (snapshot.isEmpty()) {
      migrating(exchange, "document " + doc + " is being written too fast to read");
      return;
    }
    ObjectNode body = Json.object();
    body.put("doc", doc);
    body.put("seq", snapshot.get().seq());
    body.put("hash", snapshot.get().hash());
    body.set("data", snapshot.get().data());
    send(exchange, 200, "application/json", Json.text(body));
  }

  private void sendDeltas(HttpExchange exchange, String doc, long after, DocumentReader reader)
      throws IOException {
    Optional<List<byte[]>> deltas = reader.deltasAfter(doc, after);
    if (deltas.isEmpty()) {
      error(
          exchange,
          410,
          ErrorCode.HISTORY_GONE,
          "deltas after seq " + after + " of " + doc + " are no longer held");
      return;
    }
    ObjectNode body = Json.object();
    body.put("doc", doc);
    ArrayNode list = body.putArray("deltas");
    for (byte[] delta : deltas.get()) {
      list.add(Json.parse(delta));
    }
    send(exchange, 200, "application/json", Json.text(body));
  }

  private void forward(HttpExchange exchange, String baseUrl)
      throws IOException, InterruptedException {
    URI target = URI.create(baseUrl + exchange.getRequestURI().toString());
    HttpRequest request =
        HttpRequest.newBuilder(target)
            .timeout(FORWARD_TIMEOUT)
            .header(FORWARDED_HEADER, "1")
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      exchange.getResponseHeaders().set("Retry-After", "1");
      error(exchange, 503, ErrorCode.OWNER_UNREACHABLE, "owner " + baseUrl + " did not answer");
      return;
    }
    response
        .headers()
        .firstValue("Retry-After")
        .ifPresent(v -> exchange.getResponseHeaders().set("Retry-After", v));
    send(exchange, response.statusCode(), "application/json", response.body());
  }

  private static long afterParam(String query) {
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("after=")) {
          try {
            long after = Long.parseLong(pair.substring("after=".length()));
            if (after >= 0) {
              return after;
            }
          } catch (NumberFormatException e) {
            break;
          }
        }
      }
    }
    throw new DocstreamException(
        ErrorCode.BAD_REQUEST, "deltas needs ?after=S with S a non-negative integer");
  }

  private static void migrating(HttpExchange exchange, String reason) throws IOException {
    exchange.getResponseHeaders().set("Retry-After", "1");
    error(exchange, 503, ErrorCode.PARTITION_MIGRATING, reason);
  }

  private static void error(HttpExchange exchange, int status, ErrorCode code, String message)
      throws IOException {
    ObjectNode body = Json.object();
    body.put("code", code.code());
    body.put("error", code.clientVisible() ? message : code.description());
    body.put("retry", code.retryable());
    send(exchange, status, "application/json", Json.text(body));
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
