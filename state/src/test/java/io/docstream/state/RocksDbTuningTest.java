package io.docstream.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

class RocksDbTuningTest {
  private static final long BOUND = 64L * 1024 * 1024;
  private static final long SMALL_BOUND = 32L * 1024 * 1024;

  static {
    RocksDB.loadLibrary();
  }

  @Test
  void shouldShareOneBoundedCacheAndWriteBufferManagerAcrossStores() {
    Map<String, Object> configs = Map.of(RocksDbTuning.MEMORY_BYTES_CONFIG, BOUND);
    RocksDbTuning.SharedMemory shared = RocksDbTuning.shared(BOUND);
    for (String store : new String[] {StoreNames.DOCS, StoreNames.META, StoreNames.HISTORY}) {
      try (Options options = new Options().setTableFormatConfig(new BlockBasedTableConfig())) {
        RocksDbTuning tuning = new RocksDbTuning();
        tuning.setConfig(store, options, configs);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
        assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
        assertThat(options.writeBufferManager()).isSameAs(shared.writeBuffers());
        tuning.close(store, options);
      }
    }
    assertThat(RocksDbTuning.shared(BOUND)).isSameAs(shared);
  }

  @Test
  void shouldKeepMemtablesAndBlocksOfTwoStoresWithinTheBound(@TempDir Path dir)
      throws RocksDBException {
    Map<String, Object> configs = Map.of(RocksDbTuning.MEMORY_BYTES_CONFIG, SMALL_BOUND);
    RocksDbTuning.SharedMemory shared = RocksDbTuning.shared(SMALL_BOUND);
    byte[] value = new byte[1024];
    long peak = 0;
    List<Options> options = new ArrayList<>();
    List<RocksDB> dbs = new ArrayList<>();
    try {
      for (String store : new String[] {StoreNames.DOCS, StoreNames.HISTORY}) {
        Options o =
            new Options()
                .setCreateIfMissing(true)
                .setTableFormatConfig(new BlockBasedTableConfig());
        new RocksDbTuning().setConfig(store, o, configs);
        options.add(o);
        dbs.add(RocksDB.open(o, dir.resolve(store).toString()));
      }
      // 2 x 64 MiB written, four times the bound: memtables must flush rather than grow past it
      for (int i = 0; i < 64 * 1024; i++) {
        for (RocksDB db : dbs) {
          db.put(("key-" + i).getBytes(StandardCharsets.UTF_8), value);
        }
        peak = Math.max(peak, shared.cache().getUsage());
      }
    } finally {
      dbs.forEach(RocksDB::close);
      options.forEach(Options::close);
    }
    assertThat(peak).isGreaterThan(SMALL_BOUND / 4).isLessThanOrEqualTo(SMALL_BOUND);
  }

  @Test
  void shouldSetOnlyTheDedupeStoreForLookupsThatMiss() {
    for (String store : StoreKeys.STORES) {
      try (Options options =
          new Options()
              .setTableFormatConfig(new BlockBasedTableConfig())
              .setOptimizeFiltersForHits(true)) {
        RocksDbTuning tuning = new RocksDbTuning();
        tuning.setConfig(store, options, Map.of());
        boolean dedupe = store.equals(StoreNames.DEDUPE);
        assertThat(options.memtablePrefixBloomSizeRatio())
            .as(store)
            .isEqualTo(dedupe ? RocksDbTuning.MEMTABLE_BLOOM_SHARE : 0);
        assertThat(options.memtableWholeKeyFiltering()).as(store).isEqualTo(dedupe);
        assertThat(options.optimizeFiltersForHits()).as(store).isEqualTo(!dedupe);
        tuning.close(store, options);
      }
    }
  }

  @Test
  void shouldLeaveStoresUnsharedWithoutABound() {
    try (Options options = new Options().setTableFormatConfig(new BlockBasedTableConfig())) {
      RocksDbTuning tuning = new RocksDbTuning();
      tuning.setConfig(StoreNames.DOCS, options, Map.of());
      BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
      assertThat(table.cacheIndexAndFilterBlocks()).isFalse();
      tuning.close(StoreNames.DOCS, options);
    }
  }
}
