package io.docstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Reads a document through any processor's read API. */
@Command(name = "get", description = "Print a document (seq and data) from a processor.")
final class GetCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Document key, space/id.")
  String doc;

  @Mixin ReadApiOptions readApi;

  @Option(names = "--after", description = "Print the deltas after this seq instead.")
  Long after;

  @Option(
      names = "--timeout-ms",
      defaultValue = "15000",
      description = "Give up after this long (default: ${DEFAULT-VALUE}).")
  long timeoutMillis;

  @Override
  public Integer call() throws Exception {
    String path = "/docs/" + DocKey.parse(doc) + (after == null ? "" : "/deltas?after=" + after);
    HttpResponse<String> response = readApi.get(path, Duration.ofMillis(timeoutMillis));
    if (response.statusCode() == 200) {
      System.out.println(response.body());
      return 0;
    }
    System.err.println(errorLine(response));
    return 1;
  }

  /** An error answer as {@code error <code>: <text> (HTTP <status>)}. */
  private static String errorLine(HttpResponse<String> response) {
    try {
      JsonNode body = Json.parse(response.body());
      return "error "
          + body.path("code").asInt()
          + ": "
          + body.path("error").asText()
          + " (HTTP "
          + response.statusCode()
          + ")";
    } catch (RuntimeException e) {
      return "error: HTTP " + response.statusCode() + " " + response.body();
    }
  }
}
