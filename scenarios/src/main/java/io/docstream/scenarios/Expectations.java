package io.docstream.scenarios;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code then} expects. Every item is the JSON the topology writes, cut down to the fields
 * that are compared: the required ones always, the optional ones only when the file names them.
 *
 * @param deltas per document key, the exact list of deltas the {@code when} steps produce ({@code
 *     seq}, {@code patch}, {@code ids}; {@code ts} when named). A document the scenario names but
 *     this map leaves out must get no delta.
 * @param rejections the exact rejections of the {@code when} steps, in order per key
 * @param documents per document key, its final {@code data} (and {@code seq} when named)
 */
public record Expectations(
    Map<String, List<ObjectNode>> deltas,
    List<Rejection> rejections,
    Map<String, ObjectNode> documents) {

  public Expectations {
    deltas = Collections.unmodifiableMap(new LinkedHashMap<>(deltas));
    rejections = List.copyOf(rejections);
    documents = Collections.unmodifiableMap(new LinkedHashMap<>(documents));
  }

  /**
   * One expected rejection.
   *
   * @param key the key of the rejection record (the document, the bad key, or null)
   * @param fields {@code code}, and {@code id}, {@code seq} and {@code ts} as the file names them
   *     ({@code id} and {@code seq} must be absent from the rejection when not named)
   */
  public record Rejection(String key, ObjectNode fields) {}
}
