package io.docstream.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSON object read and written by path. Paths are JSON Pointers (RFC 6901): {@code ""} is the
 * root, {@code "/hands/alice"} a member, {@code "/list/0"} an array element, {@code "/list/-"} the
 * end of an array (for {@link #set} only).
 *
 * <p>Documents never hold JSON {@code null}: setting null removes the member, as a merge patch
 * would. Arrays are values: writing into one replaces the whole array in the delta, so spaces that
 * grow a list keep it as an object keyed by id instead.
 *
 * <p>Nodes returned by reads are live views: callers must not modify them.
 */
public interface Document {
  /** The value at {@code pointer}, or null when absent. */
  JsonNode get(String pointer);

  default boolean has(String pointer) {
    return get(pointer) != null;
  }

  /**
   * Sets the value at {@code pointer}, creating missing parent objects (a parent that is not an
   * object is replaced by one). A null or JSON-null value removes the member.
   *
   * @throws io.docstream.serdes.DocstreamException with {@code PATH_INVALID} for a malformed
   *     pointer, the root pointer, or an array index out of range
   */
  void set(String pointer, JsonNode value);

  /** Removes the value at {@code pointer}; does nothing when absent. */
  void remove(String pointer);

  /** Applies an RFC 7396 merge patch at {@code pointer} ({@code ""} for the whole document). */
  void merge(String pointer, JsonNode patch);

  /** The whole document as a live read-only view. */
  ObjectNode root();
}
