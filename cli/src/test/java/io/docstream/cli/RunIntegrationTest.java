package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.gateway.ProcessorJvm;
import io.docstream.serdes.Command;
import io.docstream.serdes.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code docstream run} in its own JVM, as a person uses it, through crashes of its parts. */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class RunIntegrationTest {
  private static final Logger log = LoggerFactory.getLogger(RunIntegrationTest.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);
  private static final String READY = "docstream is ready";
  private static final int DOCUMENTS = 100;
  private static final int ROUNDS = 20;

  @TempDir Path temp;
  private final HttpClient http = HttpClient.newHttpClient();
  private RunJvm run;

  @AfterEach
  void stop() throws InterruptedException {
    System.clearProperty(RunRecord.LOCATION_PROPERTY);
    if (run != null) {
      run.close();
    }
  }

  @Test
  void shouldGuardTheReadApiWithASecretAndRestartTheBrokerWhenItDies() throws Exception {
    // Given docstream run, ready
    int kafkaPort = twoFreePorts();
    run = startRun(temp.resolve("data"), "run.log", kafkaPort, freePort(), freePort());
    run.awaitOutput(READY, 1, READY_TIMEOUT);

    // Then its read API wants the secret it made, and the CLI finds that secret by itself
    String secret = Files.readString(run.dataDir.resolve(Secrets.HTTP)).strip();
    assertThat(status("/docs/json/a", null)).isEqualTo(401);
    assertThat(status("/docs/json/a", secret)).isEqualTo(200);
    System.setProperty(RunRecord.LOCATION_PROPERTY, RunJvm.recordFile(run.dataDir).toString());
    assertThat(Main.execute("get", "json/a", "--url", run.readApi())).isZero();

    // When its broker is killed with kill -9
    long brokerPid = run.broker().pid();
    run.broker().destroyForcibly();
    long killed = System.nanoTime();

    // Then run says so and starts the broker again on its data
    run.awaitOutput("exited with code", 1, Duration.ofSeconds(30));
    run.awaitOutput("The Kafka broker is back", 1, READY_TIMEOUT);
    String whileDown =
        run.output()
            .substring(run.output().indexOf("exited with code"), run.output().indexOf("is back"));
    assertThat(whileDown)
        .as("connection warnings while the broker was down")
        .doesNotContain("could not be established");
    assertThat(run.broker().pid()).isNotEqualTo(brokerPid);
    log.info("broker back after {} ms", millisSince(killed));

    // And messages are applied again
    int exit =
        Main.execute(
            "send", "json/a", "{\"x\":1}", "--bootstrap", run.bootstrap(), "--timeout-ms", "90000");
    assertThat(exit).as(run.tail()).isZero();
    log.info("a message applied {} ms after the broker was killed", millisSince(killed));
    assertThat(run.isAlive()).isTrue();
  }

  @Test
  void shouldSayReadyOnlyWhenItsStoresAreRestoredAfterACrash() throws Exception {
    // Given docstream run with documents written
    Path dataDir = temp.resolve("data");
    int kafkaPort = twoFreePorts();
    int httpPort = freePort();
    int gatewayPort = freePort();
    run = startRun(dataDir, "run-1.log", kafkaPort, httpPort, gatewayPort);
    run.awaitOutput(READY, 1, READY_TIMEOUT);
    String secret = Files.readString(dataDir.resolve(Secrets.HTTP)).strip();
    try (KafkaProducer<String, byte[]> producer = TestProducers.idempotent(run.bootstrap())) {
      send(producer, 0, ROUNDS);
      producer.flush();
      awaitAllApplied(secret);

      // When run is killed with kill -9 while it applies more, and started again on its data
      send(producer, ROUNDS, 2 * ROUNDS);
      producer.flush();
      Thread.sleep(200);
      run.killHard();
    }
    long restarted = System.nanoTime();
    run = startRun(dataDir, "run-2.log", kafkaPort, httpPort, gatewayPort);
    run.awaitOutput(READY, 1, READY_TIMEOUT);
    log.info("ready {} ms after the restart", millisSince(restarted));

    // Then, as soon as it says ready, every document is served, with at least what was applied
    long ready = System.nanoTime();
    for (int d = 0; d < DOCUMENTS; d++) {
      HttpResponse<String> answer = get("/docs/json/d-" + d, secret);
      assertThat(answer.statusCode()).as(answer.body() + "\n" + run.tail()).isEqualTo(200);
      assertThat(Json.parse(answer.body()).get("seq").longValue())
          .isBetween((long) ROUNDS, 2L * ROUNDS);
    }
    // And a new message is applied at once
    int exit =
        Main.execute(
            "send",
            "json/d-0",
            "{\"after\":true}",
            "--bootstrap",
            run.bootstrap(),
            "--timeout-ms",
            "30000");
    assertThat(exit).as(run.tail()).isZero();
    log.info("served and applied {} ms after ready", millisSince(ready));
    assertThat(millisSince(ready)).isLessThan(15_000);
  }

  private RunJvm startRun(
      Path dataDir, String logName, int kafkaPort, int httpPort, int gatewayPort)
      throws IOException {
    return RunJvm.start(
        dataDir,
        Path.of("target", "it-logs", temp.getFileName().toString(), logName),
        kafkaPort,
        httpPort,
        gatewayPort);
  }

  /** Rounds {@code from} to {@code to} (exclusive): each sets one field of every document. */
  private static void send(KafkaProducer<String, byte[]> producer, int from, int to) {
    for (int i = from * DOCUMENTS; i < to * DOCUMENTS; i++) {
      Command command = Command.of("m-" + i, Json.object().put("f" + (i / DOCUMENTS), i));
      producer.send(
          new ProducerRecord<>(
              "docstream.commands", "json/d-" + (i % DOCUMENTS), Json.bytes(command)));
    }
  }

  private void awaitAllApplied(String secret) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (int d = 0; d < DOCUMENTS; d++) {
      while (true) {
        HttpResponse<String> answer = get("/docs/json/d-" + d, secret);
        if (answer.statusCode() == 200) {
          JsonNode body = Json.parse(answer.body());
          if (body.get("seq").longValue() == ROUNDS) {
            break;
          }
        }
        assertThat(System.nanoTime()).as("json/d-" + d + " applied").isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  private int status(String path, String secret) throws Exception {
    return get(path, secret).statusCode();
  }

  private HttpResponse<String> get(String path, String secret) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(run.readApi() + path));
    if (secret != null) {
      request.header(ReadApiOptions.SECRET_HEADER, secret);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() {
    return ProcessorJvm.freePort();
  }

  /** A free loopback port whose successor is free too (the broker's controller takes it). */
  private static int twoFreePorts() throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      int port = freePort();
      try (ServerSocket next = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
        if (next.isBound()) {
          return port;
        }
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no two adjacent free ports");
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
