package io.docstream.serdes;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One commit to a document: the JSON merge patch (RFC 7396) it made and the document's sequence
 * number after it.
 *
 * @param seq 1, 2, 3, ... per document, without gap or repeat
 * @param patch the merge patch; {@code {}} when the message changed nothing
 * @param ids the ids of the messages this commit applied (empty when they had none)
 * @param ts the timestamp of the message that made the commit, epoch millis
 * @param actor the actor of the message that made the commit, or null when it had none; message ids
 *     are unique per (document, actor), so a sender recognises its own ids by this
 * @param hash the content hash of the whole document after the commit (as the read API's snapshot
 *     reports it), or null for deltas written before hashes were kept
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Delta(
    long seq, ObjectNode patch, List<String> ids, long ts, String actor, String hash) {
  public Delta {
    ids = List.copyOf(ids);
  }
}
