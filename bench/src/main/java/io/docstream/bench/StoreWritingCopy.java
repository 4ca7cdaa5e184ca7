package io.docstream.bench;

import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Writes each record's value into every named store under a key of its own (the record key and a
 * per-task count), then forwards the record unchanged: the pass-through's exactly-once store writes
 * without any logic, one RocksDB put and one changelog record per store and message.
 */
final class StoreWritingCopy implements Processor<byte[], byte[], byte[], byte[]> {
  private final String[] storeNames;
  private KeyValueStore<Bytes, byte[]>[] stores;
  private ProcessorContext<byte[], byte[]> context;
  private long written;

  StoreWritingCopy(String[] storeNames) {
    this.storeNames = storeNames;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    stores = new KeyValueStore[storeNames.length];
    for (int i = 0; i < storeNames.length; i++) {
      stores[i] = context.getStateStore(storeNames[i]);
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    byte[] recordKey = record.key() == null ? new byte[0] : record.key();
    Bytes key =
        Bytes.wrap(
            ByteBuffer.allocate(recordKey.length + Long.BYTES)
                .put(recordKey)
                .putLong(++written)
                .array());
    for (KeyValueStore<Bytes, byte[]> store : stores) {
      store.put(key, record.value());
    }
    context.forward(record);
  }
}
