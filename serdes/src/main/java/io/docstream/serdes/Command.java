package io.docstream.serdes;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message on the commands topic: a request to change one document.
 *
 * @param id optional; makes resends idempotent
 * @param body required; the space's logic interprets it
 * @param actor who sent it (set by the gateway from the authenticated principal), or null
 * @param ts the message timestamp in epoch millis, or null to use the record's timestamp
 * @param doc optional; the document key, used when the record has no key
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Command(String id, JsonNode body, String actor, Long ts, String doc) {
  public static Command of(String id, JsonNode body) {
    return new Command(id, body, null, null, null);
  }

  public Command withDoc(String key) {
    return new Command(id, body, actor, ts, key);
  }
}
