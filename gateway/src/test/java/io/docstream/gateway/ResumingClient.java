package io.docstream.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.document.MergePatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A client that follows the README's protocol across gateway restarts and deaths, on top of {@link
 * WsClient}: it subscribes to its documents, sends messages with unique ids ({@code {"<id>": n}} to
 * the json space, so each message sets a field of its own), and when the connection ends it
 * connects to the first gateway in its list, from the one it lost, that accepts, resubscribes with
 * {@code since} = the last seq it holds and sends again, with the same ids, every message not yet
 * acked. It records every frame, so a test can check the guarantees afterwards.
 *
 * <p>Like the JS client, it does not count on hearing that a connection ended: after {@link
 * #PING_AFTER_MILLIS} without a frame it sends {@code {"op":"ping"}}, and a connection silent for
 * {@link #DEAD_AFTER_MILLIS} is dropped and replaced. (java.net.http's WebSocket, seen about once
 * in 25 restarts, had its TCP connection closed under it without telling its listener.)
 *
 * <p>Not thread-safe: one thread at a time drives it through {@link #drive}; read the results after
 * that thread has finished.
 */
public final class ResumingClient {
  private static final long RECONNECT_PAUSE_MILLIS = 50;
  private static final long PING_AFTER_MILLIS = 1_000;
  private static final long DEAD_AFTER_MILLIS = 5_000;

  private final String name;
  private final List<Integer> ports;
  private int portIndex;
  private final String token;
  private final Map<String, Doc> docs = new LinkedHashMap<>();
  private final Map<String, String> sent = new LinkedHashMap<>(); // id -> doc
  private final Map<String, String> unacked = new LinkedHashMap<>(); // id -> send frame
  private final Map<String, List<Long>> acks = new HashMap<>();
  private final Set<String> resentIds = new LinkedHashSet<>();
  private final List<JsonNode> unexpected = new ArrayList<>();
  private final List<Long> deltaArrivals = new ArrayList<>(); // System.nanoTime() of each delta
  private final List<String> docOrder;
  private WsClient ws;
  private boolean broken;
  private int connects;
  private long connectedNanos;
  private int next = 1;
  private long nextSendNanos;
  private long lastFrameNanos = System.nanoTime();
  private long lastPingNanos;
  private volatile int ackCount; // read by other threads while this one drives
  private volatile boolean burstAsked;
  private volatile boolean burstSent;

  /** What the client knows of one document. */
  public static final class Doc {
    /** Every snapshot and delta frame, in arrival order. */
    public final List<JsonNode> frames = new ArrayList<>();

    public ObjectNode data;
    long lastSeq = -1;
  }

  /** A client of one gateway, which reconnects to the same port. */
  public ResumingClient(String name, int port, String token, List<String> docs) {
    this(name, List.of(port), token, docs);
  }

  /** A client that connects to {@code ports.get(0)} first, then to the others in turn. */
  public ResumingClient(String name, List<Integer> ports, String token, List<String> docs) {
    this.name = name;
    this.ports = List.copyOf(ports);
    this.token = token;
    this.docOrder = List.copyOf(docs);
    docs.forEach(d -> this.docs.put(d, new Doc()));
  }

  public String name() {
    return name;
  }

  /**
   * Reads frames, reconnecting whenever the connection ends, and while {@code sending} is true
   * sends a new message every {@code periodMillis} (round-robin over the documents) as long as
   * fewer than {@code window} await their ack. Returns when {@code done} is true and no send awaits
   * its ack.
   *
   * @throws AssertionError when that has not happened by {@code deadlineNanos} ({@link
   *     System#nanoTime()})
   */
  public void drive(
      BooleanSupplier sending,
      long periodMillis,
      int window,
      BooleanSupplier done,
      long deadlineNanos)
      throws InterruptedException {
    while (!(done.getAsBoolean() && unacked.isEmpty())) {
      if (System.nanoTime() - deadlineNanos > 0) {
        throw new AssertionError(
            name
                + " not done in time; unacked "
                + unacked.keySet()
                + ", docs "
                + seqs()
                + ", connections "
                + connects
                + (ws == null ? "" : ws.isClosed() ? " (last closed)" : " (last open)")
                + ", last frame "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastFrameNanos)
                + " ms ago, other frames "
                + unexpected);
      }
      if (ws == null || broken || ws.isClosed()) {
        reconnect(deadlineNanos);
        continue;
      }
      if (burstAsked && !burstSent) {
        while (unacked.size() < window) {
          sendNew();
        }
        burstSent = true;
      }
      long now = System.nanoTime();
      if (sending.getAsBoolean() && unacked.size() < window && now - nextSendNanos >= 0) {
        sendNew();
        nextSendNanos = now + TimeUnit.MILLISECONDS.toNanos(periodMillis);
      }
      checkAlive(now);
      WsClient.Received r = ws.poll(5);
      if (r != null) {
        lastFrameNanos = r.nanos();
        handle(r.frame());
      }
    }
  }

  private void checkAlive(long now) {
    long silentMillis = TimeUnit.NANOSECONDS.toMillis(now - lastFrameNanos);
    if (silentMillis >= DEAD_AFTER_MILLIS) {
      broken = true;
    } else if (silentMillis >= PING_AFTER_MILLIS
        && TimeUnit.NANOSECONDS.toMillis(now - lastPingNanos) >= PING_AFTER_MILLIS) {
      write("{\"op\":\"ping\"}");
      lastPingNanos = now;
    }
  }

  private void sendNew() {
    int n = next++;
    String id = name + "-" + n;
    String doc = docOrder.get(n % docOrder.size());
    String frame =
        "{\"op\":\"send\",\"doc\":\""
            + doc
            + "\",\"id\":\""
            + id
            + "\",\"body\":{\""
            + id
            + "\":"
            + n
            + "}}";
    sent.put(id, doc);
    unacked.put(id, frame); // before the write: a write that fails is sent again
    write(frame);
  }

  private void reconnect(long deadlineNanos) throws InterruptedException {
    if (ws != null) {
      WsClient.Received r;
      while ((r = ws.poll(0)) != null) { // what arrived before the connection ended
        handle(r.frame());
      }
      ws.abort();
      ws = null;
    }
    while (ws == null) {
      if (System.nanoTime() - deadlineNanos > 0) {
        throw new AssertionError(name + " cannot reconnect to any of " + ports);
      }
      try {
        ws = WsClient.connect(ports.get(portIndex), token);
      } catch (RuntimeException e) { // refused: that gateway is gone, try the next
        portIndex = (portIndex + 1) % ports.size();
        Thread.sleep(RECONNECT_PAUSE_MILLIS);
      }
    }
    broken = false;
    lastFrameNanos = System.nanoTime();
    connectedNanos = lastFrameNanos;
    connects++;
    for (Map.Entry<String, Doc> e : docs.entrySet()) {
      long since = e.getValue().lastSeq;
      write(
          "{\"op\":\"sub\",\"doc\":\""
              + e.getKey()
              + "\""
              + (since < 0 ? "" : ",\"since\":" + since)
              + "}");
    }
    for (Map.Entry<String, String> e : unacked.entrySet()) {
      write(e.getValue());
      resentIds.add(e.getKey());
    }
  }

  private void write(String frame) {
    if (broken) {
      return;
    }
    try {
      ws.send(frame);
    } catch (RuntimeException e) { // the gateway went away; reconnect and send again
      broken = true;
    }
  }

  private void handle(JsonNode f) {
    String type = f.path("type").asText();
    switch (type) {
      case "snapshot", "delta" -> {
        Doc doc = docs.get(f.path("doc").asText());
        if (doc == null) {
          unexpected.add(f);
          return;
        }
        doc.frames.add(f);
        if (type.equals("delta")) {
          deltaArrivals.add(lastFrameNanos);
        }
        doc.lastSeq = f.get("seq").asLong();
        doc.data =
            type.equals("snapshot")
                ? (ObjectNode) f.get("data").deepCopy()
                : doc.data == null ? null : (ObjectNode) MergePatch.apply(doc.data, f.get("patch"));
      }
      case "ack" -> {
        String id = f.get("id").asText();
        acks.computeIfAbsent(id, k -> new ArrayList<>()).add(f.get("seq").asLong());
        unacked.remove(id);
        ackCount++;
      }
      case "pong" -> {}
      default -> unexpected.add(f);
    }
  }

  private Map<String, Long> seqs() {
    Map<String, Long> seqs = new LinkedHashMap<>();
    docs.forEach((k, v) -> seqs.put(k, v.lastSeq));
    return seqs;
  }

  /** Ends the connection, if any. */
  public void close() {
    if (ws != null) {
      ws.close();
    }
  }

  public Doc doc(String doc) {
    return docs.get(doc);
  }

  public long lastSeq(String doc) {
    return docs.get(doc).lastSeq;
  }

  /** Ids sent, with the document each went to, in sending order. */
  public Map<String, String> sent() {
    return sent;
  }

  /** Every ack received, by id: the seqs it named (one, if all went well). */
  public Map<String, List<Long>> acks() {
    return acks;
  }

  /**
   * Asks the driving thread to fill its window at once, so that sends are in flight; {@link
   * #burstSent} tells when it has. Safe to call while another thread drives.
   */
  public void askForBurst() {
    burstAsked = true;
  }

  public boolean burstSent() {
    return burstSent;
  }

  /** Acks received so far; safe to read while another thread drives. */
  public int ackCount() {
    return ackCount;
  }

  /** Frames other than snapshots, deltas and acks (rejects, errors). */
  public List<JsonNode> unexpected() {
    return unexpected;
  }

  /** The port of the gateway it last connected to. */
  public int port() {
    return ports.get(portIndex);
  }

  /** {@link System#nanoTime()} when its last connection opened. */
  public long connectedNanos() {
    return connectedNanos;
  }

  /** {@link System#nanoTime()} when the first delta after {@code nanos} arrived. */
  public long firstDeltaAfter(long nanos) {
    return deltaArrivals.stream().filter(t -> t - nanos >= 0).findFirst().orElseThrow();
  }

  /** Connections opened, the first included. */
  public int connects() {
    return connects;
  }

  /** Ids sent again after a reconnect. */
  public Set<String> resent() {
    return resentIds;
  }
}
