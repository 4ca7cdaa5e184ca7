package io.docstream.topology;

import io.docstream.state.DocumentReader;

/** Where a document can be read right now. */
public sealed interface DocumentLocation {
  /** This instance owns the document. */
  record Local(DocumentReader reader) implements DocumentLocation {}

  /** Another instance owns it; {@code baseUrl} is its read API, e.g. http://10.0.0.7:8081. */
  record Remote(String baseUrl) implements DocumentLocation {}

  /** The document's partition is being assigned, restored or migrated. */
  record Migrating(String reason) implements DocumentLocation {}
}
