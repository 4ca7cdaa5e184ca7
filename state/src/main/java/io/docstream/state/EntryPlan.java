package io.docstream.state;

import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/** The entry writes of one commit, computed before any is made so that limits can be checked. */
public final class EntryPlan {
  private record Op(byte[] key, byte[] value) {}

  private final List<Op> ops;
  private long storedBytesChange;

  EntryPlan(List<Op> ops) {
    this.ops = ops;
  }

  void put(byte[] key, byte[] value, int oldValueLength) {
    ops.add(new Op(key, value));
    storedBytesChange +=
        key.length + value.length - (oldValueLength < 0 ? 0 : key.length + oldValueLength);
  }

  void delete(byte[] key, int oldValueLength) {
    ops.add(new Op(key, null));
    storedBytesChange -= key.length + oldValueLength;
  }

  /** How many bytes the document's entries grow (negative: shrink) when this plan is applied. */
  public long storedBytesChange() {
    return storedBytesChange;
  }

  public int writes() {
    return ops.size();
  }

  void apply(KeyValueStore<Bytes, byte[]> docs) {
    for (Op op : ops) {
      if (op.value == null) {
        docs.delete(Bytes.wrap(op.key));
      } else {
        docs.put(Bytes.wrap(op.key), op.value);
      }
    }
  }
}
