package io.docstream.state;

import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/** The entry writes of one commit, computed before any is made so that limits can be checked. */
public final class EntryPlan {
  private record Op(byte[] key, byte[] value) {}

  private final List<Op> ops;
  private long storedBytesChange;
  private long hashChange;
  private long heapBytesChange;

  EntryPlan(List<Op> ops) {
    this.ops = ops;
  }

  /** Puts {@code value} at {@code key}, which held {@code old} (null: nothing). */
  void put(byte[] key, byte[] value, byte[] old) {
    ops.add(new Op(key, value));
    storedBytesChange += key.length + value.length - (old == null ? 0 : key.length + old.length);
    hashChange += ContentHash.entry(key, value) - (old == null ? 0 : ContentHash.entry(key, old));
    heapBytesChange +=
        HeapEstimate.entry(key, value) - (old == null ? 0 : HeapEstimate.entry(key, old));
  }

  void delete(byte[] key, byte[] old) {
    ops.add(new Op(key, null));
    storedBytesChange -= key.length + old.length;
    hashChange -= ContentHash.entry(key, old);
    heapBytesChange -= HeapEstimate.entry(key, old);
  }

  /** How many bytes the document's entries grow (negative: shrink) when this plan is applied. */
  public long storedBytesChange() {
    return storedBytesChange;
  }

  /** What to add (modulo 2^64) to the document's {@link ContentHash} when this plan is applied. */
  public long hashChange() {
    return hashChange;
  }

  /** How much the materialised document's {@link HeapEstimate} grows when this plan is applied. */
  long heapBytesChange() {
    return heapBytesChange;
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
