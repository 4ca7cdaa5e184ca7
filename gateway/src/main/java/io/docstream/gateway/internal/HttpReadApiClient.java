package io.docstream.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.Delta;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The read API over HTTP. Any processor answers for any document (it forwards to the owner), so
 * requests go round-robin over the configured URLs, moving on when one does not answer and waiting
 * out 503 + Retry-After while a partition migrates, until the timeout. With a secret, every request
 * carries it in {@value #SECRET_HEADER}.
 */
public final class HttpReadApiClient implements ReadApiClient {
  public static final String SECRET_HEADER = "X-Docstream-Secret";

  private static final long MAX_RETRY_WAIT_MILLIS = 1000;
  private static final long MIN_RETRY_WAIT_MILLIS = 50;

  private final List<String> baseUrls;
  private final String secret;
  private final long timeoutMillis;
  private final ExecutorService executor =
      Executors.newFixedThreadPool(2, r -> new Thread(r, "docstream-gateway-read-api"));
  private final HttpClient client;
  private final AtomicInteger next = new AtomicInteger();

  /**
   * @param secret the read API's shared secret ({@code processor.secret}), or null for none
   */
  public HttpReadApiClient(List<String> baseUrls, String secret, long timeoutMillis) {
    this.baseUrls = List.copyOf(baseUrls);
    this.secret = secret;
    this.timeoutMillis = timeoutMillis;
    this.client =
        HttpClient.newBuilder()
            .executor(executor)
            .connectTimeout(Duration.ofMillis(Math.min(timeoutMillis, 5000)))
            .build();
  }

  @Override
  public CompletableFuture<Snapshot> snapshot(String doc) {
    return get("/docs/" + doc)
        .thenApply(
            response -> {
              JsonNode body = parse(response);
              if (response.statusCode() != 200
                  || !body.path("seq").canConvertToLong()
                  || !(body.get("data") instanceof ObjectNode data)) {
                throw failure("snapshot of " + doc, response.statusCode(), body);
              }
              JsonNode hash = body.get("hash");
              return new Snapshot(
                  body.get("seq").longValue(),
                  data,
                  hash != null && hash.isTextual() ? hash.asText() : null);
            });
  }

  @Override
  public CompletableFuture<Optional<List<Delta>>> deltasAfter(String doc, long after) {
    return get("/docs/" + doc + "/deltas?after=" + after)
        .thenApply(
            response -> {
              JsonNode body = parse(response);
              if (response.statusCode() == 410) {
                return Optional.empty();
              }
              if (response.statusCode() != 200 || !body.path("deltas").isArray()) {
                throw failure("deltas of " + doc, response.statusCode(), body);
              }
              List<Delta> deltas = new ArrayList<>();
              for (JsonNode d : body.get("deltas")) {
                try {
                  deltas.add(Json.MAPPER.treeToValue(d, Delta.class));
                } catch (java.io.IOException | IllegalArgumentException e) {
                  throw new DocstreamException(
                      ErrorCode.SNAPSHOT_UNAVAILABLE, "unreadable delta of " + doc + ": " + e, e);
                }
              }
              return Optional.of(deltas);
            });
  }

  private static JsonNode parse(HttpResponse<String> response) {
    try {
      return Json.parse(response.body());
    } catch (DocstreamException e) {
      return Json.object();
    }
  }

  private static DocstreamException failure(String what, int status, JsonNode body) {
    return new DocstreamException(
        ErrorCode.SNAPSHOT_UNAVAILABLE,
        what + ": HTTP " + status + " " + body.path("code").asText("") + " " + body.path("error"));
  }

  private CompletableFuture<HttpResponse<String>> get(String pathAndQuery) {
    CompletableFuture<HttpResponse<String>> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    attempt(pathAndQuery, Math.floorMod(next.getAndIncrement(), baseUrls.size()), deadline, result);
    return result;
  }

  private void attempt(
      String pathAndQuery,
      int urlIndex,
      long deadlineNanos,
      CompletableFuture<HttpResponse<String>> result) {
    long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    String url = baseUrls.get(urlIndex) + pathAndQuery;
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofMillis(Math.max(leftMillis, 1)))
            .GET();
    if (secret != null) {
      builder.header(SECRET_HEADER, secret);
    }
    HttpRequest request = builder.build();
    client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              long waitMillis;
              int nextIndex = urlIndex;
              if (error != null) {
                waitMillis = 100;
                nextIndex = (urlIndex + 1) % baseUrls.size();
              } else if (response.statusCode() == 503) {
                waitMillis = retryAfterMillis(response);
              } else {
                result.complete(response);
                return;
              }
              if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis) > deadlineNanos) {
                result.completeExceptionally(
                    new DocstreamException(
                        ErrorCode.SNAPSHOT_UNAVAILABLE,
                        "no processor answered "
                            + pathAndQuery
                            + " within "
                            + timeoutMillis
                            + " ms"
                            + (error != null ? ": " + error : ""),
                        error));
                return;
              }
              int index = nextIndex;
              CompletableFuture.delayedExecutor(waitMillis, TimeUnit.MILLISECONDS, executor)
                  .execute(() -> attempt(pathAndQuery, index, deadlineNanos, result));
            });
  }

  private static long retryAfterMillis(HttpResponse<String> response) {
    long seconds =
        response.headers().firstValue("Retry-After").map(HttpReadApiClient::seconds).orElse(1L);
    return Math.max(MIN_RETRY_WAIT_MILLIS, Math.min(seconds * 1000, MAX_RETRY_WAIT_MILLIS));
  }

  private static long seconds(String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
