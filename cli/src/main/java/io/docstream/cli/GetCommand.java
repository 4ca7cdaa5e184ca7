package io.docstream.cli;

import io.docstream.serdes.DocKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Reads a document through any processor's read API. */
@Command(name = "get", description = "Print a document (seq and data) from a processor.")
final class GetCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Document key, space/id.")
  String doc;

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8081", description = "Read API.")
  String url;

  @Option(names = "--after", description = "Print the deltas after this seq instead.")
  Long after;

  @Override
  public Integer call() throws Exception {
    String path = "/docs/" + DocKey.parse(doc) + (after == null ? "" : "/deltas?after=" + after);
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    System.out.println(response.body());
    return response.statusCode() == 200 ? 0 : 1;
  }
}
