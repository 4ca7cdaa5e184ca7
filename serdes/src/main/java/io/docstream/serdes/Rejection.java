package io.docstream.serdes;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome of a message that was not applied.
 *
 * @param id the message id, or null when it had none or could not be read
 * @param code a code from {@link ErrorCode} (or 10000-19999 for a custom space)
 * @param error a one-line human reason
 * @param ts the message timestamp, epoch millis
 * @param seq for {@link ErrorCode#DUPLICATE}: the seq the message was applied at; otherwise null
 * @param actor the actor of the message, or null when it had none or could not be read
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rejection(String id, int code, String error, long ts, Long seq, String actor) {
  public static Rejection of(String id, String actor, DocstreamException e, long ts) {
    return new Rejection(id, e.code(), e.getMessage(), ts, null, actor);
  }
}
