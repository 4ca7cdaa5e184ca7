package io.docstream.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;

/**
 * RocksDB settings for docstream's stores: bloom filters, because a commit does one point lookup
 * per written entry, and LZ4, because entries are small JSON values that compress well. Configured
 * as {@code rocksdb.config.setter}.
 */
public final class RocksDbTuning implements RocksDBConfigSetter {
  private static final long BLOCK_BYTES = 16 * 1024L;
  private static final int BLOOM_BITS_PER_KEY = 10;

  private BloomFilter filter;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    filter = new BloomFilter(BLOOM_BITS_PER_KEY);
    table.setFilterPolicy(filter);
    table.setBlockSize(BLOCK_BYTES);
    options.setTableFormatConfig(table);
    options.setCompressionType(CompressionType.LZ4_COMPRESSION);
  }

  @Override
  public void close(String storeName, Options options) {
    if (filter != null) {
      filter.close();
    }
  }
}
