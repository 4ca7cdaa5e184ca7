package io.docstream.state;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Which document a key of each store belongs to, for tools that move state records without the
 * stores (the offline rescale). Every layout puts the document key's UTF-8 bytes, which never
 * contain 0x00, at a fixed place: the whole key in meta; the start, up to the first 0x00, in docs,
 * history and dedupe; after a one-byte kind in timers ({@code 'n'} and {@code 'f'}), or after the
 * kind and an 8-byte fire time ({@code 't'}).
 */
public final class StoreKeys {
  /** Every store of a docstream topology, in the order {@link DocumentStores} builds them. */
  public static final List<String> STORES =
      List.of(
          StoreNames.DOCS,
          StoreNames.META,
          StoreNames.HISTORY,
          StoreNames.DEDUPE,
          StoreNames.TIMERS);

  private static final byte TIMER_BY_TIME = 't';

  private StoreKeys() {}

  /**
   * The UTF-8 bytes of the document that {@code key} of store {@code store} belongs to.
   *
   * @throws IllegalArgumentException for an unknown store or a key no layout of it produces
   */
  public static byte[] document(String store, byte[] key) {
    return switch (store) {
      case StoreNames.META -> key;
      case StoreNames.DOCS, StoreNames.HISTORY, StoreNames.DEDUPE -> upToZero(store, key, 0);
      case StoreNames.TIMERS ->
          upToZero(store, key, key.length > 0 && key[0] == TIMER_BY_TIME ? 9 : 1);
      default -> throw new IllegalArgumentException("unknown store " + store);
    };
  }

  /** The topic configs Kafka Streams gives the changelog of every docstream store. */
  public static Map<String, String> changelogConfig() {
    Map<String, String> out = new TreeMap<>(DocumentStores.CHANGELOG_CONFIG);
    out.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    return out;
  }

  /** The changelog topic Kafka Streams keeps for {@code store} of application {@code appId}. */
  public static String changelogTopic(String applicationId, String store) {
    return applicationId + "-" + store + "-changelog";
  }

  private static byte[] upToZero(String store, byte[] key, int from) {
    for (int i = from; i < key.length; i++) {
      if (key[i] == 0) {
        byte[] doc = new byte[i - from];
        System.arraycopy(key, from, doc, 0, doc.length);
        return doc;
      }
    }
    throw new IllegalArgumentException(
        "key of "
            + store
            + " without a document separator: "
            + new String(key, StandardCharsets.ISO_8859_1));
  }
}
