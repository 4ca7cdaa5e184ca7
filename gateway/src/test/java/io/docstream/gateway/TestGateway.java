package io.docstream.gateway;

import io.docstream.broker.SharedBroker;
import io.docstream.serdes.ConfigReader;
import io.docstream.topology.ProcessorApp;
import java.util.HashMap;
import java.util.Map;

/** A gateway for the integration tests: on the shared broker, in front of a test processor. */
final class TestGateway {
  private TestGateway() {}

  /**
   * Starts a gateway on a free port (unless {@code settings} names one) for {@code prefix}'s
   * topics, with HS256 {@link Tokens}; {@code settings} add to and override those.
   */
  static GatewayApp start(String prefix, ProcessorApp processor, Map<String, String> settings) {
    return start(prefix, "http://127.0.0.1:" + processor.httpPort(), settings);
  }

  /** As above, in front of the read API at {@code processorUrl}. */
  static GatewayApp start(String prefix, String processorUrl, Map<String, String> settings) {
    Map<String, String> all =
        new HashMap<>(
            Map.of(
                "bootstrap.servers",
                SharedBroker.bootstrapServers(),
                "topic.prefix",
                prefix,
                "gateway.port",
                "0",
                "processor.urls",
                processorUrl,
                "auth.hs256.secret",
                Tokens.SECRET));
    all.putAll(settings);
    return GatewayApp.start(GatewayConfig.from(new ConfigReader(all)));
  }
}
