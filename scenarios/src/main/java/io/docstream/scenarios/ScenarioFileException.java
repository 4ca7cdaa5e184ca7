package io.docstream.scenarios;

/** A scenario file that cannot be read or does not follow the format; the message says where. */
public final class ScenarioFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ScenarioFileException(String message) {
    super(message);
  }

  public ScenarioFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
