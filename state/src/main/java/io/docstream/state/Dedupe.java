package io.docstream.state;

import io.docstream.state.internal.KeyCodec;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Remembers, per document, the seq each message id was applied at, for the last {@code
 * windowMessages} commits of that document. Entries are written in the same transaction as the
 * document change, so a resend after a crash is recognised exactly when the change survived.
 */
public final class Dedupe {
  private static final byte BY_ID = 'i';
  private static final byte BY_SEQ = 's';

  private final KeyValueStore<Bytes, byte[]> store;
  private final long windowMessages;

  public Dedupe(KeyValueStore<Bytes, byte[]> store, long windowMessages) {
    this.store = store;
    this.windowMessages = windowMessages;
  }

  /** The seq at which {@code id} was applied to {@code doc}, if still within the window. */
  public OptionalLong appliedAt(String doc, String id) {
    byte[] seq = store.get(byIdKey(doc, id));
    return seq == null ? OptionalLong.empty() : OptionalLong.of(KeyCodec.readLong(seq, 0));
  }

  void record(String doc, String id, long seq) {
    byte[] prefix = KeyCodec.docPrefix(doc);
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    store.put(byIdKey(doc, id), KeyCodec.withLong(new byte[0], seq));
    store.put(Bytes.wrap(KeyCodec.withLong(KeyCodec.append(prefix, BY_SEQ), seq)), idBytes);
    long evict = seq - windowMessages;
    if (evict > 0) {
      Bytes evictKey = Bytes.wrap(KeyCodec.withLong(KeyCodec.append(prefix, BY_SEQ), evict));
      byte[] evictedId = store.delete(evictKey);
      if (evictedId != null) {
        store.delete(Bytes.wrap(KeyCodec.append(KeyCodec.append(prefix, BY_ID), evictedId)));
      }
    }
  }

  private static Bytes byIdKey(String doc, String id) {
    return Bytes.wrap(
        KeyCodec.append(
            KeyCodec.append(KeyCodec.docPrefix(doc), BY_ID), id.getBytes(StandardCharsets.UTF_8)));
  }
}
