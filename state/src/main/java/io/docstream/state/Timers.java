package io.docstream.state;

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
 * Durable named timers per document. Two kinds of entry: {@code 'n' doc 0x00 name -> fireAt body}
 * finds a timer by name (to replace or cancel it); {@code 't' fireAt doc 0x00 name} orders timers
 * by fire time for the due scan.
 */
public final class Timers {
  private static final byte BY_NAME = 'n';
  private static final byte BY_TIME = 't';

  /** A timer whose time has come, with the serialized message it delivers. */
  public record Due(String doc, String name, long fireAtMillis, byte[] message) {}

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

  public void cancel(String doc, String name) {
    byte[] docName = docName(doc, name);
    byte[] old = store.delete(Bytes.wrap(KeyCodec.append(new byte[] {BY_NAME}, docName)));
    if (old != null) {
      store.delete(byTime(KeyCodec.readLong(old, 0), docName));
    }
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
