package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.gateway.ProcessorJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code docstream run --brokers 3} in its own JVM: three nodes, replicated topics, SIGTERM. */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class RunClusterIntegrationTest {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);
  private static final int BROKERS = 3;

  @TempDir Path temp;
  private RunJvm run;

  @AfterEach
  void stop() throws InterruptedException {
    if (run != null) {
      run.close();
    }
  }

  @Test
  void shouldRunThreeNodesWithReplicatedTopicsApplyAMessageAndStopOnSigterm() throws Exception {
    // Given docstream run --brokers 3, ready
    int kafkaPort = freePorts(2 * BROKERS);
    Path log = Path.of("target", "it-logs", temp.getFileName().toString(), "run-3.log");
    long started = System.nanoTime();
    run = RunJvm.start(temp.resolve("data"), log, kafkaPort, freePort(), freePort(), BROKERS);
    run.awaitOutput("docstream is ready", 1, READY_TIMEOUT);
    System.out.printf("run --brokers 3: ready after %d ms%n", millisSince(started));

    // Then three broker JVMs run, and every docstream topic has 3 replicas and min ISR 2
    assertThat(run.descendants()).as(run.tail()).hasSize(BROKERS);
    String bootstrap = run.bootstrap() + ",127.0.0.1:" + (kafkaPort + 2);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(BROKERS);
      Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<String> ours = names.stream().filter(n -> n.startsWith("docstream")).toList();
      assertThat(ours).contains("docstream.commands", "docstream.deltas", "docstream.rejections");
      Map<String, TopicDescription> topics =
          admin.describeTopics(ours).allTopicNames().get(30, TimeUnit.SECONDS);
      topics.forEach(
          (name, topic) ->
              topic.partitions().forEach(p -> assertThat(p.replicas()).as(name).hasSize(BROKERS)));
      List<ConfigResource> resources = new ArrayList<>();
      ours.forEach(n -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, n)));
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
      configs.forEach(
          (resource, config) ->
              assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value())
                  .as(resource.name())
                  .isEqualTo("2"));
    }

    // And a message sent is applied: its delta arrives
    int exit =
        Main.execute(
            "send", "json/a", "{\"x\":1}", "--bootstrap", bootstrap, "--timeout-ms", "60000");
    assertThat(exit).as(run.tail()).isZero();

    // When it gets SIGTERM (Ctrl-C sends SIGINT, which ends it the same way; its nodes ignore it)
    List<ProcessHandle> nodes = run.descendants();
    long stopping = System.nanoTime();
    run.close();

    // Then it and its three nodes are gone, without an error while stopping
    assertThat(run.isAlive()).isFalse();
    for (ProcessHandle node : nodes) {
      node.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
    System.out.printf("run --brokers 3: stopped %d ms after SIGTERM%n", millisSince(stopping));
    assertThat(millisSince(stopping)).as(run.tail()).isLessThan(STOP_TIMEOUT.toMillis());
    assertThat(run.output()).doesNotContain("error while stopping");
    assertThat(RunJvm.recordFile(run.dataDir)).doesNotExist();
  }

  private static int freePort() {
    return ProcessorJvm.freePort();
  }

  /** The first of {@code count} consecutive free loopback ports. */
  private static int freePorts(int count) throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      int first = freePort();
      if (allFree(first + 1, count - 1)) {
        return first;
      }
    }
    throw new IOException("no " + count + " consecutive free ports");
  }

  private static boolean allFree(int from, int count) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int port = from; port < from + count; port++) {
        held.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
      }
      return true;
    } catch (IOException taken) {
      return false;
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing a probe socket
        }
      }
    }
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
