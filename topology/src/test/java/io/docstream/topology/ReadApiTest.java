package io.docstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.state.DocumentReader;
import io.docstream.state.StoreNames;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadApiTest {
  @TempDir Path stateDir;
  private TopologyFixture fixture;
  private ReadApi owner;
  private ReadApi other;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    fixture = new TopologyFixture(stateDir, Map.of("history.deltas", "2"));
    fixture.send("json/a", "m1", "{\"x\":1}", null, 1);
    fixture.send("json/a", "m2", "{\"x\":2}", null, 2);
    fixture.send("json/a", "m3", "{\"y\":{\"z\":true}}", null, 3);
    DocumentReader reader =
        new DocumentReader(
            fixture.driver.getKeyValueStore(StoreNames.DOCS),
            fixture.driver.getKeyValueStore(StoreNames.META),
            fixture.driver.getKeyValueStore(StoreNames.HISTORY),
            2);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    owner =
        new ReadApi(
            "127.0.0.1",
            0,
            doc ->
                doc.startsWith("json/")
                    ? new DocumentLocation.Local(reader)
                    : new DocumentLocation.Migrating("restoring"),
            registry,
            () -> Json.object().put("ok", true));
    String ownerUrl = "http://127.0.0.1:" + owner.port();
    other =
        new ReadApi(
            "127.0.0.1",
            0,
            doc -> new DocumentLocation.Remote(ownerUrl),
            registry,
            () -> Json.object().put("ok", false));
  }

  @AfterEach
  void stop() {
    owner.close();
    other.close();
    fixture.close();
  }

  private HttpResponse<String> get(ReadApi api, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldServeTheDocumentWithItsSeq() throws Exception {
    HttpResponse<String> response = get(owner, "/docs/json/a");
    assertThat(response.statusCode()).isEqualTo(200);
    String lastDeltaHash = fixture.deltas().get(2).value().get("hash").textValue();
    assertThat(Json.parse(response.body()))
        .isEqualTo(
            Json.parse(
                "{\"doc\":\"json/a\",\"seq\":3,\"data\":{\"x\":2,\"y\":{\"z\":true}},\"hash\":\""
                    + lastDeltaHash
                    + "\"}"));
  }

  @Test
  void shouldServeADocumentWhoseIdIsDeltas() throws Exception {
    HttpResponse<String> response = get(owner, "/docs/json/deltas");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Json.parse(response.body()).get("doc").textValue()).isEqualTo("json/deltas");
  }

  @Test
  void shouldServeANewDocumentAsEmptyAtSeqZero() throws Exception {
    assertThat(Json.parse(get(owner, "/docs/json/never").body()))
        .isEqualTo(
            Json.parse(
                "{\"doc\":\"json/never\",\"seq\":0,\"data\":{},\"hash\":\"0000000000000000\"}"));
  }

  @Test
  void shouldServeTheDeltasAfterASeqFromHistory() throws Exception {
    JsonNode body = Json.parse(get(owner, "/docs/json/a/deltas?after=1").body());
    assertThat(body.get("deltas"))
        .extracting(d -> d.get("seq").longValue())
        .containsExactly(2L, 3L);
    assertThat(Json.parse(get(owner, "/docs/json/a/deltas?after=3").body()).get("deltas"))
        .isEmpty();
  }

  @Test
  void shouldAnswerGoneWhenHistoryNoLongerReachesBack() throws Exception {
    HttpResponse<String> response = get(owner, "/docs/json/a/deltas?after=0");
    assertThat(response.statusCode()).isEqualTo(410);
    assertThat(Json.parse(response.body()).get("code").intValue())
        .isEqualTo(ErrorCode.HISTORY_GONE.code());
  }

  @Test
  void shouldForwardToTheOwningInstance() throws Exception {
    HttpResponse<String> response = get(other, "/docs/json/a");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Json.parse(response.body()).get("seq").longValue()).isEqualTo(3);
  }

  @Test
  void shouldAnswerRetryLaterWhileThePartitionMigrates() throws Exception {
    HttpResponse<String> response = get(owner, "/docs/chat/lobby");
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    JsonNode body = Json.parse(response.body());
    assertThat(body.get("code").intValue()).isEqualTo(ErrorCode.PARTITION_MIGRATING.code());
    assertThat(body.get("retry").booleanValue()).isTrue();
  }

  @Test
  void shouldNotForwardAForwardedRequestAgain() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port() + "/docs/json/a"))
                .header(ReadApi.FORWARDED_HEADER, "1")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(503);
  }

  @Test
  void shouldAnswerBadInputWithCodes() throws Exception {
    assertThat(Json.parse(get(owner, "/docs/nokey").body()).get("code").intValue())
        .isEqualTo(ErrorCode.DOC_KEY_INVALID.code());
    assertThat(Json.parse(get(owner, "/docs/json/a/deltas?after=x").body()).get("code").intValue())
        .isEqualTo(ErrorCode.BAD_REQUEST.code());
    HttpResponse<String> unknown = get(owner, "/nothing");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(Json.parse(unknown.body()).get("code").intValue())
        .isEqualTo(ErrorCode.NOT_FOUND.code());
  }

  @Test
  void shouldExposeMetricsAndHealth() throws Exception {
    assertThat(get(owner, "/healthz").statusCode()).isEqualTo(200);
    assertThat(get(other, "/healthz").statusCode()).isEqualTo(503);
    assertThat(get(owner, "/metrics").statusCode()).isEqualTo(200);
  }
}
