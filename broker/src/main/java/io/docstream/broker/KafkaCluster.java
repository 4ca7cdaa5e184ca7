package io.docstream.broker;

import io.docstream.broker.internal.FreePorts;
import io.docstream.broker.internal.NodeRole;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka cluster of several KRaft nodes on 127.0.0.1, each in its own JVM and its own
 * directory {@code <dataDir>/node-<id>}. Every node is broker and controller (a combined-mode
 * quorum of all nodes); the internal topics (consumer offsets, transaction state, share coordinator
 * state) get a replica on every node and {@code min.insync.replicas} 2, as do topics created
 * without explicit settings.
 *
 * <p>A node can be killed ({@code kill -9}) and restarted on its data and ports. With three nodes
 * the quorum and every partition with three replicas survive the loss of any one.
 */
public final class KafkaCluster implements AutoCloseable {
  /** A modest broker heap: three brokers, two processors and the tests share one machine. */
  public static final int DEFAULT_HEAP_MEGABYTES = 384;

  private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);
  private static final long ADMIN_TIMEOUT_MILLIS = 10_000;
  private static final long POLL_MILLIS = 200;

  private final KafkaBroker[] nodes;

  private KafkaCluster(KafkaBroker[] nodes) {
    this.nodes = nodes;
  }

  /**
   * Starts {@code size} nodes and waits until every one serves clients and knows all of them.
   *
   * @param base the cluster's directory, heap, start timeout and JIT; its ports are those of the
   *     first node (0 = free ones; the controller port is not used), node {@code i} (from 0) takes
   *     {@code port + 2i} and {@code port + 2i + 1} for its controller
   * @throws DocstreamException with {@link ErrorCode#BROKER_START_FAILED} when a node does not
   *     start; the nodes started are stopped
   */
  public static KafkaCluster start(BrokerOptions base, int size) {
    long startNanos = System.nanoTime();
    List<BrokerOptions> options = nodeOptions(base, size);
    String voters =
        options.stream()
            .map(o -> nodeId(options.indexOf(o)) + "@127.0.0.1:" + o.controllerPort())
            .collect(Collectors.joining(","));
    String clusterId = Uuid.randomUuid().toString();
    KafkaBroker[] nodes = new KafkaBroker[size];
    KafkaCluster cluster = new KafkaCluster(nodes);
    try {
      for (int i = 0; i < size; i++) {
        nodes[i] =
            KafkaBroker.launchNode(
                options.get(i), new NodeRole(nodeId(i), voters, size, clusterId));
      }
      for (KafkaBroker node : nodes) {
        node.awaitServing(size);
      }
    } catch (RuntimeException e) {
      cluster.stop();
      throw e;
    }
    log.info(
        "Kafka cluster of {} nodes serves {} after {} ms",
        size,
        cluster.bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    return cluster;
  }

  /** Every node's client address, comma-separated. */
  public String bootstrapServers() {
    return List.of(nodes).stream()
        .map(KafkaBroker::bootstrapServers)
        .collect(Collectors.joining(","));
  }

  /** The number of nodes. */
  public int size() {
    return nodes.length;
  }

  /** The node with this KRaft node id (1 to {@link #size()}), as now running or last run. */
  public synchronized KafkaBroker node(int nodeId) {
    return nodes[nodeId - 1];
  }

  /** Kills a node at once ({@code kill -9}), as a crash would, and waits until it is gone. */
  public void kill(int nodeId) {
    node(nodeId).kill();
  }

  /**
   * Starts a stopped or killed node again on its data and ports and waits until it serves clients
   * and knows every node.
   */
  public KafkaBroker restart(int nodeId) {
    KafkaBroker dead = node(nodeId);
    KafkaBroker restarted = KafkaBroker.launchNode(dead.options(), dead.role());
    synchronized (this) {
      nodes[nodeId - 1] = restarted;
    }
    restarted.awaitServing(nodes.length);
    return restarted;
  }

  /** The node id of the active controller (the KRaft quorum leader). */
  public int activeController() {
    return withAdmin(admin -> admin.describeMetadataQuorum().quorumInfo().get().leaderId());
  }

  /** The node id of the leader of one partition. */
  public int leaderOf(String topic, int partition) {
    return withAdmin(
        admin ->
            describe(admin, List.of(topic)).get(topic).partitions().get(partition).leader().id());
  }

  /**
   * Waits until every partition of every topic has all its replicas in sync again, as after a
   * restarted node caught up.
   *
   * @throws DocstreamException with {@link ErrorCode#CLUSTER_UNDER_REPLICATED} naming the
   *     partitions still short when {@code timeout} passes
   */
  public void awaitFullyReplicated(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> missing = underReplicated();
      if (missing.isEmpty()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new DocstreamException(
            ErrorCode.CLUSTER_UNDER_REPLICATED,
            "After " + timeout + " these partitions still lack in-sync replicas: " + missing);
      }
      pause();
    }
  }

  /**
   * Stops every node gracefully. All are signalled first: stopped one by one, the last node would
   * wait for a quorum that is gone until it is killed.
   */
  public synchronized void stop() {
    for (KafkaBroker node : nodes) {
      if (node != null) {
        node.signalStop();
      }
    }
    for (KafkaBroker node : nodes) {
      if (node != null) {
        node.stop();
      }
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  private List<String> underReplicated() {
    return withAdmin(
        admin -> {
          List<String> names = new ArrayList<>(admin.listTopics().names().get());
          List<String> out = new ArrayList<>();
          for (TopicDescription topic : describe(admin, names).values()) {
            topic.partitions().stream()
                .filter(p -> p.isr().size() < p.replicas().size())
                .forEach(p -> out.add(topic.name() + "-" + p.partition()));
          }
          return out;
        });
  }

  private static Map<String, TopicDescription> describe(Admin admin, List<String> topics)
      throws ExecutionException, InterruptedException {
    return admin.describeTopics(topics).allTopicNames().get();
  }

  private interface AdminCall<T> {
    T call(Admin admin) throws ExecutionException, InterruptedException, TimeoutException;
  }

  private <T> T withAdmin(AdminCall<T> call) {
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) ADMIN_TIMEOUT_MILLIS,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            (int) ADMIN_TIMEOUT_MILLIS);
    try (Admin admin = Admin.create(config)) {
      return call.call(admin);
    } catch (ExecutionException | TimeoutException e) {
      throw new DocstreamException(
          ErrorCode.KAFKA_UNREACHABLE,
          "The cluster at " + bootstrapServers() + " did not answer",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DocstreamException(ErrorCode.KAFKA_UNREACHABLE, "Interrupted", e);
    }
  }

  private static List<BrokerOptions> nodeOptions(BrokerOptions base, int size) {
    if (size < 1) {
      throw new DocstreamException(ErrorCode.CONFIG_INVALID, "A cluster needs a node, got " + size);
    }
    List<Integer> free = base.port() == 0 ? FreePorts.pick(2 * size) : List.of();
    List<BrokerOptions> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int port = base.port() == 0 ? free.get(2 * i) : base.port() + 2 * i;
      int controllerPort = base.port() == 0 ? free.get(2 * i + 1) : base.port() + 2 * i + 1;
      out.add(
          base.withPort(port)
              .withControllerPort(controllerPort)
              .withDataDir(base.dataDir().resolve("node-" + nodeId(i))));
    }
    return out;
  }

  private static int nodeId(int index) {
    return index + 1;
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DocstreamException(ErrorCode.KAFKA_UNREACHABLE, "Interrupted", e);
    }
  }
}
