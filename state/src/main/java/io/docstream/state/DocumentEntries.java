package io.docstream.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.document.Nodes;
import io.docstream.serdes.Json;
import io.docstream.state.internal.KeyCodec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Documents stored as path-keyed entries: every object node is an entry with an empty value and
 * every other value (scalar or array) an entry holding its JSON. Writing a merge patch touches only
 * the entries under the patch's paths, so a commit costs the size of its change, not of the
 * document (see docs/design/state-layout.md).
 */
public final class DocumentEntries {
  private static final byte[] OBJECT = new byte[0];

  private DocumentEntries() {}

  /**
   * A document rebuilt from its entries, the {@link ContentHash} of the entries read (0 when not
   * asked for), and the {@link HeapEstimate} of its members.
   */
  public record Loaded(ObjectNode root, long hash, long contentHeapBytes) {}

  /** Rebuilds a document from its entries as a canonical (sorted) object, with their hash. */
  public static Loaded load(ReadOnlyKeyValueStore<Bytes, byte[]> docs, String doc) {
    return load(docs, doc, true);
  }

  /**
   * Rebuilds a document from its entries as a canonical (sorted) object; hashing them costs about
   * 0.4 us per entry here (4 ms for a 1 MB document of 10,000 members).
   */
  public static Loaded load(ReadOnlyKeyValueStore<Bytes, byte[]> docs, String doc, boolean hash) {
    byte[] prefix = KeyCodec.docPrefix(doc);
    ObjectNode root = Nodes.object();
    long sum = 0;
    long heapBytes = 0;
    try (KeyValueIterator<Bytes, byte[]> it =
        docs.range(KeyCodec.descendantsFrom(prefix), KeyCodec.descendantsTo(prefix))) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> entry = it.next();
        if (hash) {
          sum += ContentHash.entry(entry.key.get(), entry.value);
        }
        heapBytes += HeapEstimate.entry(entry.key.get(), entry.value);
        List<String> path = KeyCodec.path(prefix, entry.key.get());
        ObjectNode parent = root;
        for (int i = 0; i < path.size() - 1; i++) {
          JsonNode child = parent.get(path.get(i));
          if (!(child instanceof ObjectNode)) {
            child = Nodes.object();
            parent.set(path.get(i), child);
          }
          parent = (ObjectNode) child;
        }
        String last = path.get(path.size() - 1);
        if (entry.value.length == 0) {
          if (!(parent.get(last) instanceof ObjectNode)) {
            parent.set(last, Nodes.object());
          }
        } else {
          parent.set(last, Nodes.canonical(Json.parse(entry.value)));
        }
      }
    }
    return new Loaded(root, sum, heapBytes);
  }

  /**
   * The entry writes that turn the stored document into {@code patch} applied to it, and the change
   * in stored bytes. Reads the store but does not write it.
   */
  public static EntryPlan plan(
      ReadOnlyKeyValueStore<Bytes, byte[]> docs, String doc, ObjectNode patch) {
    EntryPlan plan = new EntryPlan(new ArrayList<>());
    planObject(docs, KeyCodec.docPrefix(doc), new ArrayList<>(), patch, plan);
    return plan;
  }

  private static void planObject(
      ReadOnlyKeyValueStore<Bytes, byte[]> docs,
      byte[] prefix,
      List<String> path,
      ObjectNode patch,
      EntryPlan plan) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      path.add(member.getKey());
      byte[] key = KeyCodec.entry(prefix, path);
      byte[] old = docs.get(Bytes.wrap(key));
      JsonNode value = member.getValue();
      if (old != null && old.length == 0 && !value.isObject()) {
        planDeleteDescendants(docs, key, plan);
      }
      if (value.isNull()) {
        if (old != null) {
          plan.delete(key, old);
        }
      } else if (value.isObject()) {
        if (old == null || old.length != 0) {
          plan.put(key, OBJECT, old);
        }
        planObject(docs, prefix, path, (ObjectNode) value, plan);
      } else {
        plan.put(key, Json.bytes(value), old);
      }
      path.remove(path.size() - 1);
    }
  }

  private static void planDeleteDescendants(
      ReadOnlyKeyValueStore<Bytes, byte[]> docs, byte[] key, EntryPlan plan) {
    try (KeyValueIterator<Bytes, byte[]> it =
        docs.range(KeyCodec.descendantsFrom(key), KeyCodec.descendantsTo(key))) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> entry = it.next();
        plan.delete(entry.key.get(), entry.value);
      }
    }
  }
}
