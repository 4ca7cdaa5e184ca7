package io.docstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A copy of the gateway module's test client: a real WebSocket client (java.net.http) that queues
 * every frame it receives, with the time it arrived.
 */
final class WsClient implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * A frame and when the listener received it.
   *
   * @param frame the parsed JSON frame
   * @param nanos {@link System#nanoTime()} on arrival
   */
  public record Received(JsonNode frame, long nanos) {}

  private final BlockingQueue<Received> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final WebSocket socket;

  private WsClient(URI uri) {
    this.socket =
        HTTP.newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(uri, new Listener())
            .join();
  }

  public static WsClient connect(int port, String token) {
    String query = token == null ? "" : "?token=" + token;
    return new WsClient(URI.create("ws://127.0.0.1:" + port + "/ws" + query));
  }

  public void send(String json) {
    socket.sendText(json, true).join();
  }

  /** The next frame, failing after {@code seconds}. */
  public JsonNode next(long seconds) throws InterruptedException {
    Received received = poll(TimeUnit.SECONDS.toMillis(seconds));
    if (received == null) {
      throw new AssertionError("no frame within " + seconds + " s");
    }
    return received.frame();
  }

  /** The next frame with its arrival time, or null when none arrives within {@code millis}. */
  public Received poll(long millis) throws InterruptedException {
    return frames.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** True once the server closed the connection or it failed; queued frames remain. */
  public boolean isClosed() {
    return closeCode.isDone();
  }

  /** Frames that arrive within {@code millis}. */
  public List<JsonNode> drain(long millis) throws InterruptedException {
    List<JsonNode> out = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    Received r;
    while ((r = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))
        != null) {
      out.add(r.frame());
    }
    return out;
  }

  public int awaitClose(long seconds) throws Exception {
    return closeCode.get(seconds, TimeUnit.SECONDS);
  }

  /** Drops the TCP connection without a close handshake. */
  public void abort() {
    socket.abort();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        frames.add(new Received(Json.parse(text.toString()), System.nanoTime()));
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closeCode.completeExceptionally(error);
    }
  }
}
