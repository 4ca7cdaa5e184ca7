package io.docstream.cli;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.net.BindException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns whatever a command threw into one coded line for a person; the trace goes to DEBUG. */
final class CliErrors {
  private static final Logger LOG = LoggerFactory.getLogger(CliErrors.class);
  private static final int MAX_MESSAGE_CHARS = 300;

  private CliErrors() {}

  /** The coded error that {@code e} means to a person. */
  static DocstreamException coded(Throwable e) {
    LOG.debug("command failed", e);
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DocstreamException coded) {
        return coded;
      }
      if (t instanceof ConfigException bad) {
        return new DocstreamException(
            ErrorCode.CONFIG_INVALID, "bad Kafka client setting: " + bad.getMessage(), e);
      }
      if (t instanceof BindException taken) {
        return new DocstreamException(
            ErrorCode.CONFIG_INVALID, "a port to listen on is taken: " + taken.getMessage(), e);
      }
      if (t instanceof ConnectException
          || t instanceof HttpConnectTimeoutException
          || t instanceof HttpTimeoutException) {
        return new DocstreamException(
            ErrorCode.READ_API_UNREACHABLE, "the read API did not answer: " + t, e);
      }
    }
    if (e instanceof KafkaException) {
      return new DocstreamException(ErrorCode.KAFKA_UNREACHABLE, "Kafka: " + e.getMessage(), e);
    }
    return new DocstreamException(ErrorCode.INTERNAL, "unexpected " + e, e);
  }

  /** {@code error <code>: <message>} on one line, the message cut to a readable length. */
  static String line(DocstreamException e) {
    String message = String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " ");
    if (message.length() > MAX_MESSAGE_CHARS) {
      message = message.substring(0, MAX_MESSAGE_CHARS) + "... (cut)";
    }
    return "error " + e.code() + ": " + message;
  }
}
