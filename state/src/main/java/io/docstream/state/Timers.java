package io.docstream.state;

import io.docstream.serdes.Json;
import io.docstream.state.internal.KeyCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Durable named timers per document. Three kinds of entry: {@code 'n' doc 0x00 name -> fireAt
 * message} finds a pending timer by name (to replace or cancel it); {@code 't' fireAt doc 0x00
 * name} orders pending timers by fire time for the due scan; {@code 'f' doc 0x00 name -> current
 * id} marks the timer of that name that fired last and whose message was not applied yet, and
 * whether it is still current (neither cancelled nor replaced since it fired).
 */
public final class Timers {
  /** The prefix of every timer message's id: {@code timer:<name>:<fireAt>:<seq>}. */
  public static final String ID_PREFIX = "timer:";

  private static final byte BY_NAME = 'n';
  private static final byte BY_TIME = 't';
  private static final byte FIRED = 'f';

  /** A timer whose time has come, with the serialized message it delivers. */
  public record Due(String doc, String name, long fireAtMillis, byte[] message) {}

  /** The last fired timer of a name whose message is not applied yet. */
  public record Fired(String id, boolean current) {}

  private final KeyValueStore<Bytes, byte[]> store;

  public Timers(KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
  }

  public void schedule(String doc, String name, long fireAtMillis, byte[] message) {
    cancel(doc, name);
    byte[] docName = docName(doc, name);
    store.put(
        Bytes.wrap(KeyCodec.append(new byte[] {BY_NAME}, docName)),
        KeyCodec.append(KeyCodec.withLong(new byte[0], fireAtMillis), message));
    store.put(byTime(fireAtMillis, docName), new byte[0]);
  }

  /** Drops the pending timer {@code name}, and makes a fired one's message stale. */
  public void cancel(String doc, String name) {
    byte[] docName = docName(doc, name);
    byte[] old = store.delete(Bytes.wrap(KeyCodec.append(new byte[] {BY_NAME}, docName)));
    if (old != null) {
      store.delete(byTime(KeyCodec.readLong(old, 0), docName));
    }
    Fired fired = fired(doc, name);
    if (fired != null && fired.current()) {
      store.put(firedKey(docName), firedValue(fired.id(), false));
    }
  }

  /**
   * Removes a due timer from the schedule and marks it fired with its message's id; call it in the
   * transaction that produces {@code due.message()}.
   */
  public void fire(Due due) {
    byte[] docName = docName(due.doc(), due.name());
    store.delete(Bytes.wrap(KeyCodec.append(new byte[] {BY_NAME}, docName)));
    store.delete(byTime(due.fireAtMillis(), docName));
    String id = Json.parse(due.message()).path("id").asText("");
    store.put(firedKey(docName), firedValue(id, true));
  }

  /** The last fired timer of {@code name} whose message is not applied yet, or null. */
  public Fired fired(String doc, String name) {
    byte[] value = store.get(firedKey(docName(doc, name)));
    if (value == null) {
      return null;
    }
    return new Fired(new String(value, 1, value.length - 1, StandardCharsets.UTF_8), value[0] == 1);
  }

  /** Forgets the fired mark of {@code name}: its message was applied or found stale. */
  public void forgetFired(String doc, String name) {
    store.delete(firedKey(docName(doc, name)));
  }

  /** The timer name in a timer message id {@code timer:<name>:<fireAt>:<seq>}, or null. */
  public static String nameOf(String id) {
    if (id == null || !id.startsWith(ID_PREFIX)) {
      return null;
    }
    int seqColon = id.lastIndexOf(':');
    int fireAtColon = seqColon <= 0 ? -1 : id.lastIndexOf(':', seqColon - 1);
    return fireAtColon < ID_PREFIX.length() ? null : id.substring(ID_PREFIX.length(), fireAtColon);
  }

  /** Timers due at or before {@code nowMillis}, earliest first, at most {@code limit}. */
  public List<Due> due(long nowMillis, int limit) {
    List<Due> out = new ArrayList<>();
    Bytes from = Bytes.wrap(new byte[] {BY_TIME});
    Bytes to =
        Bytes.wrap(
            KeyCodec.append(KeyCodec.withLong(new byte[] {BY_TIME}, nowMillis), (byte) 0xFF));
    try (KeyValueIterator<Bytes, byte[]> it = store.range(from, to)) {
      while (it.hasNext() && out.size() < limit) {
        KeyValue<Bytes, byte[]> entry = it.next();
        byte[] key = entry.key.get();
        long fireAt = KeyCodec.readLong(key, 1);
        byte[] docName = Arrays.copyOfRange(key, 9, key.length);
        int zero = indexOfZero(docName);
        byte[] named = store.get(Bytes.wrap(KeyCodec.append(new byte[] {BY_NAME}, docName)));
        out.add(
            new Due(
                new String(docName, 0, zero, StandardCharsets.UTF_8),
                new String(docName, zero + 1, docName.length - zero - 1, StandardCharsets.UTF_8),
                fireAt,
                Arrays.copyOfRange(named, 8, named.length)));
      }
    }
    return out;
  }

  private static Bytes byTime(long fireAtMillis, byte[] docName) {
    return Bytes.wrap(
        KeyCodec.append(KeyCodec.withLong(new byte[] {BY_TIME}, fireAtMillis), docName));
  }

  private static Bytes firedKey(byte[] docName) {
    return Bytes.wrap(KeyCodec.append(new byte[] {FIRED}, docName));
  }

  private static byte[] firedValue(String id, boolean current) {
    return KeyCodec.append(
        new byte[] {(byte) (current ? 1 : 0)}, id.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] docName(String doc, String name) {
    return KeyCodec.append(KeyCodec.docPrefix(doc), name.getBytes(StandardCharsets.UTF_8));
  }

  private static int indexOfZero(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    throw new IllegalStateException("timer key without document separator");
  }
}
