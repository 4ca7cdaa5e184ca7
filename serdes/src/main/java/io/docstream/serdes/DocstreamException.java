package io.docstream.serdes;

/** An error with a code from the {@link ErrorCode} registry. */
public class DocstreamException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int code;

  public DocstreamException(ErrorCode code, String message) {
    this(code.code(), message, null);
  }

  public DocstreamException(ErrorCode code, String message, Throwable cause) {
    this(code.code(), message, cause);
  }

  /** For codes a custom space defines (10000-19999) as well as registry codes. */
  public DocstreamException(int code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The registry entry, or {@link ErrorCode#SPACE_DEFINED} for a custom space's code. */
  public ErrorCode errorCode() {
    return ErrorCode.of(code).orElse(ErrorCode.SPACE_DEFINED);
  }

  @Override
  public String toString() {
    return "[" + code + "] " + getMessage();
  }
}
