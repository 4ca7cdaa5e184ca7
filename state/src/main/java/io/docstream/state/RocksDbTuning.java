package io.docstream.state;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * RocksDB settings for docstream's stores: bloom filters, because a commit does one point lookup
 * per written entry, and LZ4, because entries are small JSON values that compress well. Configured
 * as {@code rocksdb.config.setter}.
 *
 * <p>With {@link #MEMORY_BYTES_CONFIG} set (processor key {@code rocksdb.memory.bytes}), every
 * store of the JVM shares one block cache of that many bytes, and their memtables are charged to it
 * through one write-buffer manager (at most {@link #WRITE_BUFFER_SHARE} of it), so RocksDB's
 * off-heap memory is bounded per instance whatever its number of tasks; index and filter blocks
 * live in the cache too, the top level pinned. Unset, each store has Kafka Streams' own block cache
 * and memtables (50 MiB and 3 x 16 MiB per store, 30 stores on an instance with 6 tasks).
 *
 * <p>Nearly every message looks up an id it has never seen, so the dedupe store is set for misses:
 * its memtables have a whole-key bloom filter ({@link #MEMTABLE_BLOOM_SHARE} of their size),
 * without which each miss walks the memtable's skip list to its bottom level, and the files of its
 * bottom level keep their bloom filters: Kafka Streams sets {@code optimize_filters_for_hits},
 * which leaves them out, so each miss read an index and a data block there.
 */
public final class RocksDbTuning implements RocksDBConfigSetter {
  /** The Streams configuration key carrying the bound, in bytes (absent or 0: unbounded). */
  public static final String MEMORY_BYTES_CONFIG = "docstream.rocksdb.memory.bytes";

  /** The share of the bound that memtables may take before the manager makes them flush. */
  public static final double WRITE_BUFFER_SHARE = 0.5;

  /** Of the cache, the share kept for index and filter blocks (high priority). */
  private static final double INDEX_FILTER_SHARE = 0.1;

  private static final long BLOCK_BYTES = 16 * 1024L;
  private static final int BLOOM_BITS_PER_KEY = 10;

  /** Of a dedupe memtable's bytes, the share its bloom filter takes. */
  static final double MEMTABLE_BLOOM_SHARE = 0.02;

  /** One shared cache per bound and JVM: never closed, since every store of the JVM uses it. */
  private static final Map<Long, SharedMemory> SHARED = new ConcurrentHashMap<>();

  private BloomFilter filter;

  /** The block cache and write-buffer manager that every store bounded by one figure shares. */
  record SharedMemory(Cache cache, WriteBufferManager writeBuffers) {
    static SharedMemory of(long bytes) {
      Cache cache = new LRUCache(bytes, -1, false, INDEX_FILTER_SHARE);
      return new SharedMemory(
          cache, new WriteBufferManager((long) (bytes * WRITE_BUFFER_SHARE), cache));
    }
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    filter = new BloomFilter(BLOOM_BITS_PER_KEY);
    table.setFilterPolicy(filter);
    table.setBlockSize(BLOCK_BYTES);
    long bound = memoryBytes(configs);
    if (bound > 0) {
      SharedMemory shared = shared(bound);
      table.setBlockCache(shared.cache());
      table.setCacheIndexAndFilterBlocks(true);
      table.setCacheIndexAndFilterBlocksWithHighPriority(true);
      table.setPinTopLevelIndexAndFilter(true);
      options.setWriteBufferManager(shared.writeBuffers());
    }
    options.setTableFormatConfig(table);
    options.setCompressionType(CompressionType.LZ4_COMPRESSION);
    if (storeName.equals(StoreNames.DEDUPE)) {
      options.setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM_SHARE);
      options.setMemtableWholeKeyFiltering(true);
      options.setOptimizeFiltersForHits(false);
    }
  }

  @Override
  public void close(String storeName, Options options) {
    if (filter != null) {
      filter.close();
    }
  }

  static SharedMemory shared(long bytes) {
    return SHARED.computeIfAbsent(bytes, SharedMemory::of);
  }

  private static long memoryBytes(Map<String, Object> configs) {
    Object value = configs.get(MEMORY_BYTES_CONFIG);
    return value == null ? 0 : Long.parseLong(value.toString());
  }
}
