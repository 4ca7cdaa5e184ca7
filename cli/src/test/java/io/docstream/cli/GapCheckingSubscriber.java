package io.docstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.gateway.DevTokens;
import io.docstream.serdes.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A WebSocket client of a gateway that subscribes to documents and records, per document, the seq
 * it holds and every frame that would leave it with a gap: a delta that does not follow the seq
 * held, or a delta before any snapshot.
 */
final class GapCheckingSubscriber implements AutoCloseable {
  private final WebSocket socket;
  private final Map<String, Long> seqs = new ConcurrentHashMap<>();
  private final Map<String, Integer> resets = new ConcurrentHashMap<>();
  private final List<String> gaps = java.util.Collections.synchronizedList(new ArrayList<>());

  GapCheckingSubscriber(int port, String secret, String viewer) {
    String token = DevTokens.hs256(secret, viewer, Instant.now().plus(Duration.ofHours(1)));
    socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?token=" + token), new Listener())
            .join();
  }

  void subscribe(String doc) {
    socket.sendText("{\"op\":\"sub\",\"doc\":\"" + doc + "\"}", true).join();
  }

  /** The seq held for {@code doc}, or -1 before its snapshot. */
  long seq(String doc) {
    return seqs.getOrDefault(doc, -1L);
  }

  int resets() {
    return resets.values().stream().mapToInt(Integer::intValue).sum();
  }

  List<String> gaps() {
    return List.copyOf(gaps);
  }

  private void onFrame(JsonNode frame) {
    String doc = frame.path("doc").asText();
    long seq = frame.path("seq").asLong();
    switch (frame.path("type").asText()) {
      case "snapshot" -> {
        seqs.put(doc, seq);
        if (frame.path("reset").asBoolean()) {
          resets.merge(doc, 1, Integer::sum);
        }
      }
      case "delta" -> {
        Long held = seqs.get(doc);
        if (held == null || seq != held + 1) {
          gaps.add(doc + ": delta " + seq + " after " + held);
        }
        seqs.put(doc, seq);
      }
      case "error" -> gaps.add("error frame " + frame);
      default -> {}
    }
  }

  @Override
  public void close() {
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        onFrame(Json.parse(text.toString()));
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
