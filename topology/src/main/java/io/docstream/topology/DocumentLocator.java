package io.docstream.topology;

/** Finds which instance owns a document (Kafka Streams metadata in production). */
@FunctionalInterface
public interface DocumentLocator {
  DocumentLocation locate(String doc);
}
