package io.docstream.spaces;

import io.docstream.document.Document;
import java.util.Map;

/**
 * The logic of a space: applies one message to one document. Implementations must be deterministic:
 * a pure function of the document, the message, its timestamp and {@link MessageContext#random()};
 * no clock, no I/O, no shared mutable state.
 *
 * <p>To refuse a message, {@code throw ctx.reject(code, reason)}; any exception rolls back every
 * change the message made. A custom space is a public class with a no-argument constructor,
 * configured as {@code spaces.<name>.logic=<fully qualified class name>}.
 */
public interface SpaceLogic {
  void apply(MessageContext ctx, Document doc);

  /** Receives the {@code spaces.<name>.<option>} settings (without the prefix) once at start. */
  default void configure(Map<String, String> options) {}
}
