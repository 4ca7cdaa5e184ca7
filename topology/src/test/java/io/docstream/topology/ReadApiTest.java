package io.docstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.state.DeltaLog;
import io.docstream.state.DocumentReader;
import io.docstream.state.StoreNames;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ReadApiTest {
  @TempDir Path stateDir;
  private TopologyFixture fixture;
  private ReadApi owner;
  private ReadApi other;
  private DocumentReader reader;
  private final List<ReadApi> extra = new ArrayList<>();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpClient http = HttpClient.newHttpClient();
  private static final Predicate<String> SPACES = Set.of("json", "chat")::contains;
  private static final String SECRET = "0123456789abcdef-secret";

  @BeforeEach
  void start() throws Exception {
    fixture = new TopologyFixture(stateDir, Map.of("history.deltas", "2"));
    fixture.send("json/a", "m1", "{\"x\":1}", null, 1);
    fixture.send("json/a", "m2", "{\"x\":2}", null, 2);
    fixture.send("json/a", "m3", "{\"y\":{\"z\":true}}", null, 3);
    reader =
        new DocumentReader(
            fixture.driver.getKeyValueStore(StoreNames.DOCS),
            fixture.driver.getKeyValueStore(StoreNames.META),
            fixture.driver.getKeyValueStore(StoreNames.HISTORY),
            2,
            fixture.deltaLog());
    owner =
        new ReadApi(
            "127.0.0.1",
            0,
            doc ->
                doc.startsWith("json/")
                    ? new DocumentLocation.Local(reader)
                    : new DocumentLocation.Migrating("restoring"),
            SPACES,
            Optional.empty(),
            registry,
            () -> Json.object().put("ok", true));
    other = forwarder(owner, Optional.empty());
  }

  private ReadApi forwarder(ReadApi to, Optional<String> secret) throws Exception {
    String ownerUrl = "http://127.0.0.1:" + to.port();
    return started(
        new ReadApi(
            "127.0.0.1",
            0,
            doc -> new DocumentLocation.Remote(ownerUrl),
            SPACES,
            secret,
            registry,
            () -> Json.object().put("ok", false)));
  }

  private ReadApi started(ReadApi api) {
    extra.add(api);
    return api;
  }

  @AfterEach
  void stop() {
    extra.forEach(ReadApi::close);
    owner.close();
    fixture.close();
  }

  private HttpResponse<String> get(ReadApi api, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(ReadApi api, String path, String secret) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
            .header(ReadApi.SECRET_HEADER, secret)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertAnswer(HttpResponse<String> response, int status, ErrorCode code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = Json.parse(response.body());
    assertThat(body.get("code").intValue()).isEqualTo(code.code());
    assertThat(body.get("retry").booleanValue()).isEqualTo(code.retryable());
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
  void shouldAnswerRetryLaterWhenADeltaTheSlotsRecordIsNotCommittedYet() throws Exception {
    // Given seq 3 applied by the store but its transaction still open: not readable on the topic
    DeltaLog log = fixture.deltaLog();
    DeltaLog open =
        (doc, wanted) -> {
          Map<Long, byte[]> found = new HashMap<>(log.read(doc, wanted).deltas());
          found.remove(3L);
          return new DeltaLog.Found(found, Set.of(3L));
        };
    DocumentReader ahead =
        new DocumentReader(
            fixture.driver.getKeyValueStore(StoreNames.DOCS),
            fixture.driver.getKeyValueStore(StoreNames.META),
            fixture.driver.getKeyValueStore(StoreNames.HISTORY),
            2,
            open);
    ReadApi api =
        started(
            new ReadApi(
                "127.0.0.1",
                0,
                doc -> new DocumentLocation.Local(ahead),
                SPACES,
                Optional.empty(),
                registry,
                () -> Json.object().put("ok", true)));

    // When a reader asks for the deltas after 1
    // Then it is told to come back shortly, not given seq 2 alone as if that were all there is
    HttpResponse<String> response = get(api, "/docs/json/a/deltas?after=1");
    assertAnswer(response, 503, ErrorCode.DELTA_NOT_COMMITTED);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
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

  @Test
  void shouldAnswerAnUnknownSpaceWithNotFound() throws Exception {
    assertAnswer(get(owner, "/docs/nosuch/x"), 404, ErrorCode.SPACE_UNKNOWN);
    assertAnswer(get(owner, "/docs/nosuch/x/deltas?after=0"), 404, ErrorCode.SPACE_UNKNOWN);
    assertAnswer(get(other, "/docs/nosuch/x"), 404, ErrorCode.SPACE_UNKNOWN);
  }

  @Test
  void shouldAnswerOtherMethodsThanGetWith405() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + owner.port() + "/docs/json/a"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertAnswer(response, 405, ErrorCode.METHOD_NOT_ALLOWED);
  }

  @Test
  void shouldDeriveTheStatusFromTheCodeSoThatStatusCodeAndRetryAgree() {
    for (ErrorCode code : ErrorCode.values()) {
      int status = ReadApi.status(code);
      if (code.code() >= 4000 && code.code() < 5000) {
        assertThat(status).as(code.name()).isBetween(400, 499);
      } else {
        assertThat(status).as(code.name()).isBetween(500, 599);
      }
      if (status == 503) {
        assertThat(code.retryable()).as(code.name() + " answered 503 says retry").isTrue();
      }
    }
  }

  @Test
  void shouldAnswerAFailureWith500AndLogItOnceWithItsCause() throws Exception {
    IllegalStateException cause = new IllegalStateException("store closed");
    ReadApi failing =
        started(
            new ReadApi(
                "127.0.0.1",
                0,
                doc -> {
                  throw new DocstreamException(ErrorCode.INTERNAL, "cannot read " + doc, cause);
                },
                SPACES,
                Optional.empty(),
                registry,
                () -> Json.object().put("ok", true)));
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(ReadApi.class);
    logged.start();
    logger.addAppender(logged);
    try {
      assertAnswer(get(failing, "/docs/json/a/deltas?after=0"), 500, ErrorCode.INTERNAL);
    } finally {
      logger.detachAppender(logged);
    }
    assertThat(logged.list).hasSize(1);
    ILoggingEvent event = logged.list.get(0);
    assertThat(event.getLevel()).isEqualTo(Level.ERROR);
    assertThat(event.getFormattedMessage()).contains("500", "5001", "/docs/json/a/deltas");
    assertThat(event.getThrowableProxy().getCause().getMessage()).isEqualTo("store closed");
  }

  @Test
  void shouldServeTheDeltasOfADocument999LevelsDeep() throws Exception {
    String deep = "{\"a\":".repeat(999) + "1" + "}".repeat(999);
    fixture.send("json/deep", "d1", deep, null, 4);
    HttpResponse<String> response = get(owner, "/docs/json/deep/deltas?after=0");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  @Test
  void shouldRequireTheSecretOnDocsButNotOnHealthOrMetrics() throws Exception {
    ReadApi guarded =
        started(
            new ReadApi(
                "127.0.0.1",
                0,
                doc -> new DocumentLocation.Local(reader),
                SPACES,
                Optional.of(SECRET),
                registry,
                () -> Json.object().put("ok", true)));
    assertAnswer(get(guarded, "/docs/json/a"), 401, ErrorCode.UNAUTHENTICATED);
    assertAnswer(get(guarded, "/docs/json/a", SECRET + "x"), 401, ErrorCode.UNAUTHENTICATED);
    assertAnswer(get(guarded, "/docs/nosuch/a"), 401, ErrorCode.UNAUTHENTICATED);
    assertThat(get(guarded, "/docs/json/a", SECRET).statusCode()).isEqualTo(200);
    assertThat(get(guarded, "/healthz").statusCode()).isEqualTo(200);
    assertThat(get(guarded, "/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void shouldSendTheSecretWhenForwarding() throws Exception {
    ReadApi guarded =
        started(
            new ReadApi(
                "127.0.0.1",
                0,
                doc -> new DocumentLocation.Local(reader),
                SPACES,
                Optional.of(SECRET),
                registry,
                () -> Json.object().put("ok", true)));
    ReadApi front = forwarder(guarded, Optional.of(SECRET));
    HttpResponse<String> response = get(front, "/docs/json/a", SECRET);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(Json.parse(response.body()).get("seq").longValue()).isEqualTo(3);
  }
}
