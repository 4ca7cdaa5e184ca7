package io.docstream.topology;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.state.DeltasAfter;
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
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's HTTP read API: {@code GET /docs/{space}/{id}}, {@code GET
 * /docs/{space}/{id}/deltas?after=S}, {@code /metrics} and {@code /healthz}. A request for a
 * document another instance owns is forwarded there once; while the document's partition migrates
 * the answer is 503 with {@code Retry-After}.
 *
 * <p>It serves every document whole, hidden fields included: it is internal, for gateways and
 * operators, and must not be exposed. With a secret set, every {@code /docs} request must carry it
 * in {@value #SECRET_HEADER} ({@code /metrics} and {@code /healthz} stay open).
 *
 * <p>Every error answer carries a code whose HTTP status follows from it ({@link #status}): 4xxx
 * are client errors, 5xxx server errors; each 5xxx answer is logged once with its cause.
 */
public final class ReadApi implements AutoCloseable {
  /** The header carrying the shared secret ({@code http.secret}) between gateway and processor. */
  public static final String SECRET_HEADER = "X-Docstream-Secret";

  /** Requests served at once. */
  static final int THREADS = 4;

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
  private final Predicate<String> knownSpace;
  private final Optional<String> secret;
  private final PrometheusMeterRegistry metrics;
  private final Supplier<ObjectNode> health;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(FORWARD_TIMEOUT).build();

  /**
   * Starts serving on {@code host:port}.
   *
   * @param knownSpace whether a space name is configured; other spaces are answered 404
   * @param secret the shared secret every {@code /docs} request must carry, if any
   */
  public ReadApi(
      String host,
      int port,
      DocumentLocator locator,
      Predicate<String> knownSpace,
      Optional<String> secret,
      PrometheusMeterRegistry metrics,
      Supplier<ObjectNode> health)
      throws IOException {
    this.locator = locator;
    this.knownSpace = knownSpace;
    this.secret = secret;
    this.metrics = metrics;
    this.health = health;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
    this.executor = Executors.newFixedThreadPool(THREADS, r -> new Thread(r, "docstream-read-api"));
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
        error(exchange, ErrorCode.METHOD_NOT_ALLOWED, "only GET is supported");
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
        requireSecret(exchange);
        docs(exchange, path.substring(DOCS.length()));
      } else {
        error(exchange, ErrorCode.NOT_FOUND, "no route " + path);
      }
    } catch (DocstreamException e) {
      fail(exchange, e.errorCode(), e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(exchange, ErrorCode.INTERNAL, "interrupted", e);
    } catch (RuntimeException e) {
      fail(exchange, ErrorCode.INTERNAL, "internal error", e);
    }
  }

  /** The HTTP status of an answer with {@code code}: 4xxx client errors, the rest server errors. */
  static int status(ErrorCode code) {
    return switch (code) {
      case UNAUTHENTICATED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND, SPACE_UNKNOWN -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      case HISTORY_GONE -> 410;
      case PARTITION_MIGRATING, OWNER_UNREACHABLE, DELTA_NOT_COMMITTED -> 503;
      default -> code.code() >= 4000 && code.code() < 5000 ? 400 : 500;
    };
  }

  private void requireSecret(HttpExchange exchange) {
    if (secret.isEmpty()) {
      return;
    }
    String given = exchange.getRequestHeaders().getFirst(SECRET_HEADER);
    byte[] expected = secret.get().getBytes(StandardCharsets.UTF_8);
    if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
      throw new DocstreamException(
          ErrorCode.UNAUTHENTICATED, "missing or wrong " + SECRET_HEADER + " header");
    }
  }

  private void docs(HttpExchange exchange, String rest) throws IOException, InterruptedException {
    boolean deltas = rest.endsWith(DELTAS) && rest.indexOf('/') != rest.lastIndexOf('/');
    DocKey key = DocKey.parse(deltas ? rest.substring(0, rest.length() - DELTAS.length()) : rest);
    if (!knownSpace.test(key.space())) {
      throw new DocstreamException(ErrorCode.SPACE_UNKNOWN, "no space " + key.space());
    }
    String doc = key.toString();
    long after = deltas ? afterParam(exchange.getRequestURI().getRawQuery()) : 0;
    DocumentLocation location = locator.locate(doc);
    if (location instanceof DocumentLocation.Remote remote) {
      if (exchange.getRequestHeaders().containsKey(FORWARDED_HEADER)) {
        error(exchange, ErrorCode.PARTITION_MIGRATING, "ownership of " + doc + " is moving");
      } else {
        forward(exchange, remote.baseUrl());
      }
    } else if (location instanceof DocumentLocation.Migrating m) {
      error(exchange, ErrorCode.PARTITION_MIGRATING, m.reason());
    } else {
      DocumentReader reader = ((DocumentLocation.Local) location).reader();
      try {
        if (deltas) {
          sendDeltas(exchange, doc, after, reader);
        } else {
          sendSnapshot(exchange, doc, reader);
        }
      } catch (InvalidStateStoreException e) {
        // The task was closed between locating and reading: its partition moved away.
        error(exchange, ErrorCode.PARTITION_MIGRATING, "partition of " + doc + " moved: " + e);
      }
    }
  }

  private void sendSnapshot(HttpExchange exchange, String doc, DocumentReader reader)
      throws IOException, InterruptedException {
    Optional<DocumentReader.Snapshot> snapshot = reader.snapshot(doc);
    if (snapshot.isEmpty()) {
      error(
          exchange,
          ErrorCode.PARTITION_MIGRATING,
          "document " + doc + " is being written too fast to read");
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
      throws IOException, InterruptedException {
    DeltasAfter answer = reader.deltasAfter(doc, after);
    if (answer instanceof DeltasAfter.Gone) {
      error(
          exchange,
          ErrorCode.HISTORY_GONE,
          "deltas after seq " + after + " of " + doc + " are no longer held");
    } else if (answer instanceof DeltasAfter.Pending pending) {
      error(
          exchange,
          ErrorCode.DELTA_NOT_COMMITTED,
          "delta "
              + pending.seq()
              + " of "
              + doc
              + " is applied but not yet readable as committed on the deltas topic");
    } else {
      ObjectNode body = Json.object();
      body.put("doc", doc);
      ArrayNode list = body.putArray("deltas");
      for (byte[] delta : ((DeltasAfter.Deltas) answer).deltas()) {
        // Stored deltas are JSON already: embedded as they are, without a parse that would limit
        // their depth.
        list.addRawValue(new RawValue(new String(delta, StandardCharsets.UTF_8)));
      }
      send(exchange, 200, "application/json", Json.text(body));
    }
  }

  private void forward(HttpExchange exchange, String baseUrl)
      throws IOException, InterruptedException {
    URI target = URI.create(baseUrl + exchange.getRequestURI().toString());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target).timeout(FORWARD_TIMEOUT).header(FORWARDED_HEADER, "1").GET();
    secret.ifPresent(s -> request.header(SECRET_HEADER, s));
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      fail(exchange, ErrorCode.OWNER_UNREACHABLE, "owner " + baseUrl + " did not answer", e);
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

  /** Answers with {@code code}; logs it first when it is a server error. */
  private static void fail(HttpExchange exchange, ErrorCode code, String message, Exception cause)
      throws IOException {
    int status = status(code);
    if (status == 503) {
      LOG.info(
          "read API answered {} {} on {}: {}",
          status,
          code.code(),
          exchange.getRequestURI(),
          message + (cause == null ? "" : " (" + cause + ")"));
    } else if (status >= 500) {
      LOG.error(
          "read API answered {} {} on {}: {}",
          status,
          code.code(),
          exchange.getRequestURI(),
          message,
          cause);
    }
    answer(exchange, status, code, message);
  }

  private static void error(HttpExchange exchange, ErrorCode code, String message)
      throws IOException {
    fail(exchange, code, message, null);
  }

  private static void answer(HttpExchange exchange, int status, ErrorCode code, String message)
      throws IOException {
    if (status == 503) {
      exchange.getResponseHeaders().set("Retry-After", "1");
    }
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
