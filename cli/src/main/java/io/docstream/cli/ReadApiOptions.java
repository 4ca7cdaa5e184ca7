package io.docstream.cli;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where a processor's read API is and the secret it wants, shared by get and verify. */
final class ReadApiOptions {
  static final String SECRET_HEADER = "X-Docstream-Secret";
  static final String SECRET_ENV = "DOCSTREAM_HTTP_SECRET";

  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:8081",
      description = "A processor's read API (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--secret",
      description =
          "The read API's http.secret (default: $"
              + SECRET_ENV
              + ", else the running `docstream run`'s).")
  String secret;

  private HttpClient http;

  /** GETs {@code path}; a read API that does not answer within {@code timeout} is a coded error. */
  HttpResponse<String> get(String path, Duration timeout) throws InterruptedException {
    URI target;
    try {
      target = URI.create(url + path);
    } catch (IllegalArgumentException e) {
      throw new DocstreamException(
          ErrorCode.CLI_INPUT_INVALID, "--url " + url + " is not a URL: " + e.getMessage(), e);
    }
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout).GET();
    effectiveSecret().ifPresent(s -> request.header(SECRET_HEADER, s));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | IllegalArgumentException e) {
      throw new DocstreamException(
          ErrorCode.READ_API_UNREACHABLE,
          "the read API at "
              + url
              + " did not answer within "
              + timeout.toMillis()
              + " ms ("
              + e
              + "); is a processor running there?",
          e);
    }
  }

  private Optional<String> effectiveSecret() {
    if (secret != null) {
      return Optional.of(secret);
    }
    String env = System.getenv(SECRET_ENV);
    if (env != null && !env.isEmpty()) {
      return Optional.of(env);
    }
    return RunRecord.findLive().flatMap(run -> Secrets.read(run.dataDir(), Secrets.HTTP));
  }
}
