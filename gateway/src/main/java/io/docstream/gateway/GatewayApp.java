package io.docstream.gateway;

import io.docstream.gateway.internal.GatewayInitializer;
import io.docstream.gateway.internal.GatewayMetrics;
import io.docstream.gateway.internal.GatewayServer;
import io.docstream.gateway.internal.HttpReadApiClient;
import io.docstream.gateway.internal.Hub;
import io.docstream.gateway.internal.JwtAuthenticator;
import io.docstream.gateway.internal.KafkaCommandSink;
import io.docstream.gateway.internal.KafkaUpstream;
import io.docstream.serdes.DocstreamException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: WebSocket protocol v1 on {@code /ws}, {@code /healthz} and {@code /metrics}.
 * Stateless; run as many as needed. Each reads the deltas and rejections of the documents its
 * clients watch with one read_committed consumer, fetches snapshots from the processors' read API
 * and writes clients' messages to the commands topic.
 */
public final class GatewayApp implements AutoCloseable {
  private static final Duration DEV_TOKEN_LIFETIME = Duration.ofHours(12);
  private static final Logger LOG = LoggerFactory.getLogger(GatewayApp.class);

  private final List<AutoCloseable> parts;
  private final GatewayServer server;
  private final PrometheusMeterRegistry registry;

  private GatewayApp(
      List<AutoCloseable> parts, GatewayServer server, PrometheusMeterRegistry registry) {
    this.parts = parts;
    this.server = server;
    this.registry = registry;
  }

  /**
   * Starts the gateway; the topics must exist.
   *
   * @throws DocstreamException with a start-up code when Kafka, the topics or the port are not
   *     usable
   */
  public static GatewayApp start(GatewayConfig config) {
    List<AutoCloseable> started = new ArrayList<>();
    try {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      GatewayMetrics metrics = new GatewayMetrics(registry);
      JwtAuthenticator authenticator = new JwtAuthenticator(config.auth());
      KafkaCommandSink commands =
          new KafkaCommandSink(
              config.bootstrapServers(), config.kafka(), config.topics().commands());
      started.add(commands);
      HttpReadApiClient reads =
          new HttpReadApiClient(
              config.processorUrls(),
              config.processorSecret(),
              config.limits().snapshotTimeoutMillis());
      started.add(reads);
      Hub hub =
          new Hub(
              config.hubThreads(),
              listener ->
                  KafkaUpstream.start(
                      config.bootstrapServers(),
                      config.kafka(),
                      config.topics(),
                      listener,
                      metrics),
              reads,
              commands,
              config.policies(),
              config.limits(),
              metrics);
      started.add(hub);
      GatewayServer server =
          GatewayServer.start(
              config.host(),
              config.port(),
              config.ioThreads(),
              new GatewayInitializer(
                  hub,
                  config.policies(),
                  config.limits(),
                  metrics,
                  authenticator,
                  registry::scrape,
                  hub::healthy,
                  devTokenIssuer(config),
                  config.pingIntervalMillis()));
      started.add(0, server);
      LOG.info("gateway listening on ws://{}:{}/ws", config.host(), server.port());
      return new GatewayApp(started, server, registry);
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  private static Function<String, String> devTokenIssuer(GatewayConfig config) {
    if (!config.devTokens()) {
      return null;
    }
    String secret = config.auth().hs256Secret();
    return viewer -> DevTokens.hs256(secret, viewer, Instant.now().plus(DEV_TOKEN_LIFETIME));
  }

  public int port() {
    return server.port();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    closeAll(parts);
    registry.close();
  }

  private static void closeAll(List<AutoCloseable> parts) {
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("error while closing {}", part, e);
      }
    }
  }
}
