package io.docstream.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What all load clients together received, counted from any client thread. While a window is open,
 * every delta whose message was due at or after the window's start adds its latency: receipt time
 * minus the due time the message carried in its patch ({@code {"t": dueMillis}}).
 */
final class ReceivedFrames {
  private static final Logger log = LoggerFactory.getLogger(ReceivedFrames.class);
  private static final String DELTA = "{\"type\":\"delta\"";
  private static final String SNAPSHOT = "{\"type\":\"snapshot\"";
  private static final String PATCH = "\"patch\":";
  private static final String DUE = "\"t\":";

  private final LongAdder deltas = new LongAdder();
  private final LongAdder untimed = new LongAdder();
  private final LongAdder snapshots = new LongAdder();
  private final LongAdder resets = new LongAdder();
  private final LongAdder others = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder disconnects = new LongAdder();
  private final Map<Integer, LongAdder> closeCodes = new ConcurrentHashMap<>();
  private volatile long windowFromMillis;
  private volatile Latencies window;

  void onText(String frame) {
    long now = System.currentTimeMillis();
    if (frame.startsWith(DELTA)) {
      deltas.increment();
      long due = dueMillis(frame);
      Latencies open = window;
      if (due < 0) {
        untimed.increment();
      } else if (open != null && due >= windowFromMillis) {
        open.add(now - due);
      }
    } else if (frame.startsWith(SNAPSHOT)) {
      snapshots.increment();
      if (frame.contains("\"reset\":true")) {
        resets.increment();
      }
    } else {
      if (others.sum() < 10) {
        log.warn("unexpected frame: {}", frame);
      }
      others.increment();
    }
  }

  /** The {@code t} of a delta's patch, or -1 when the patch has none (it changed nothing). */
  private static long dueMillis(String frame) {
    int patch = frame.indexOf(PATCH);
    int at = patch < 0 ? -1 : frame.indexOf(DUE, patch);
    if (at < 0) {
      return -1;
    }
    long value = 0;
    int digits = 0;
    for (int i = at + DUE.length(); i < frame.length(); i++, digits++) {
      char c = frame.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
    }
    return digits == 0 ? -1 : value;
  }

  void onClose(int code) {
    closeCodes.computeIfAbsent(code, c -> new LongAdder()).increment();
  }

  void onFailure(Throwable cause) {
    if (failures.sum() < 10) {
      log.warn("load client failed: {}", cause.toString());
    }
    failures.increment();
  }

  void onDisconnect() {
    disconnects.increment();
  }

  /** Records the latency of deltas whose messages were due at or after {@code fromMillis}. */
  void openWindow(long fromMillis, int capacity) {
    windowFromMillis = fromMillis;
    window = new Latencies(capacity);
  }

  Latencies closeWindow() {
    Latencies closed = window;
    window = null;
    return closed;
  }

  long deltas() {
    return deltas.sum();
  }

  /** Deltas whose patch carried no due time, so no latency. */
  long untimed() {
    return untimed.sum();
  }

  long snapshots() {
    return snapshots.sum();
  }

  /** Snapshots with {@code "reset":true}: the gateway dropped a slow client's backlog. */
  long resets() {
    return resets.sum();
  }

  /** Frames that were neither deltas nor snapshots (errors). */
  long others() {
    return others.sum();
  }

  /** Connections that failed to connect or to complete the handshake, or broke. */
  long failures() {
    return failures.sum();
  }

  long disconnects() {
    return disconnects.sum();
  }

  /** Close frames the gateway sent, by code, as "4008 x 3, ..."; empty when none. */
  String closes() {
    StringBuilder s = new StringBuilder();
    closeCodes.forEach(
        (code, count) ->
            s.append(s.isEmpty() ? "" : ", ").append(code).append(" x ").append(count));
    return s.toString();
  }
}
