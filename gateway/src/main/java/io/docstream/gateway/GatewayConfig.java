package io.docstream.gateway;

import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.TopicNames;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The validated settings of a gateway, from {@link ConfigReader} (a properties file plus {@code
 * DOCSTREAM_*} environment variables):
 *
 * <pre>
 * bootstrap.servers                 required
 * topic.prefix                      docstream
 * gateway.host / gateway.port       127.0.0.1 / 8080 (0 picks a free port)
 * gateway.io.threads                available processors, at least 2 (Netty event loops: sockets,
 *                                   WebSocket framing, each connection's writes)
 * gateway.hub.threads               available processors (routing and fan-out; a document's feed,
 *                                   subscriptions and pending sends live on one, by its hash)
 * gateway.ping.interval.ms          30000 (ping a client silent this long, close it after twice; 0: off)
 * processor.urls                    http://127.0.0.1:8081 (comma-separated read API base URLs)
 * processor.secret                  sent as X-Docstream-Secret on every read API request (the
 *                                   processors' http.secret); none by default
 * gateway.max.frame.bytes           65536        gateway.max.backlog.bytes   1048576
 * gateway.max.overflows             3            gateway.overflow.window.ms  60000
 * gateway.max.subscriptions         100          gateway.sends.per.second    50
 * gateway.max.pending.sends         256          gateway.ack.timeout.ms      30000
 * gateway.history.deltas            64           gateway.snapshot.timeout.ms 10000
 * auth.hs256.secret                 shared secret, at least 32 bytes (development)
 * auth.rs256.jwks                   path of a JWK set file with RS256 public keys (production)
 * auth.issuer / auth.audience       required iss / aud claims, if set
 * gateway.dev.tokens                false; true serves GET /dev/token?sub=NAME (development only)
 * gateway.space.*                   see {@link SpacePolicies}
 * kafka.*                           Kafka client settings (prefix removed), e.g. security
 * </pre>
 */
public record GatewayConfig(
    String bootstrapServers,
    TopicNames topics,
    String host,
    int port,
    int ioThreads,
    int hubThreads,
    long pingIntervalMillis,
    List<String> processorUrls,
    String processorSecret,
    GatewayLimits limits,
    AuthSettings auth,
    SpacePolicies policies,
    Map<String, String> kafka,
    boolean devTokens) {

  public GatewayConfig {
    processorUrls = List.copyOf(processorUrls);
    kafka = Map.copyOf(kafka);
  }

  public static GatewayConfig from(ConfigReader c) {
    long mib = 1024L * 1024;
    GatewayLimits limits =
        new GatewayLimits(
            c.intValue("gateway.max.frame.bytes", 64 * 1024, 1024, 16 * 1024 * 1024),
            c.longValue("gateway.max.backlog.bytes", mib, 4096, 1L << 30),
            c.intValue("gateway.max.overflows", 3, 0, 1000),
            c.longValue("gateway.overflow.window.ms", 60_000, 1000, 3_600_000),
            c.intValue("gateway.max.subscriptions", 100, 1, 100_000),
            c.intValue("gateway.sends.per.second", 50, 1, 100_000),
            c.intValue("gateway.max.pending.sends", 256, 1, 100_000),
            c.longValue("gateway.ack.timeout.ms", 30_000, 100, 600_000),
            c.intValue("gateway.history.deltas", 64, 0, 100_000),
            c.longValue("gateway.snapshot.timeout.ms", 10_000, 100, 600_000));
    String secret = c.string("auth.hs256.secret", null);
    if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < 32) {
      throw ConfigReader.invalid(
          "auth.hs256.secret", "must be at least " + AuthSettings.MIN_SECRET_BYTES + " bytes");
    }
    String jwks = c.string("auth.rs256.jwks", null);
    int processors = Runtime.getRuntime().availableProcessors();
    return new GatewayConfig(
        c.required("bootstrap.servers"),
        new TopicNames(c.string("topic.prefix", "docstream")),
        c.string("gateway.host", "127.0.0.1"),
        c.intValue("gateway.port", 8080, 0, 65_535),
        c.intValue("gateway.io.threads", Math.max(2, processors), 1, 256),
        c.intValue("gateway.hub.threads", processors, 1, 256),
        c.longValue("gateway.ping.interval.ms", 30_000, 0, 3_600_000),
        urls(c.string("processor.urls", "http://127.0.0.1:8081")),
        blankToNull(c.string("processor.secret", null)),
        limits,
        new AuthSettings(
            secret,
            jwks == null ? null : Path.of(jwks),
            c.string("auth.issuer", null),
            c.string("auth.audience", null)),
        SpacePolicies.fromProperties(c.all()),
        c.withPrefix("kafka."),
        devTokens(c, secret));
  }

  private static boolean devTokens(ConfigReader c, String secret) {
    String value = c.string("gateway.dev.tokens", "false");
    if (!value.equals("true") && !value.equals("false")) {
      throw ConfigReader.invalid(
          "gateway.dev.tokens", "must be true or false, got '" + value + "'");
    }
    if (value.equals("true") && secret == null) {
      throw ConfigReader.invalid("gateway.dev.tokens", "needs auth.hs256.secret");
    }
    return value.equals("true");
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static List<String> urls(String value) {
    List<String> urls =
        Arrays.stream(value.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s)
            .toList();
    for (String url : urls) {
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw ConfigReader.invalid("processor.urls", "has a malformed URL '" + url + "'");
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw ConfigReader.invalid("processor.urls", "needs http(s)://host:port URLs, got " + url);
      }
    }
    if (urls.isEmpty()) {
      throw ConfigReader.invalid("processor.urls", "needs at least one URL");
    }
    return urls;
  }

  public GatewayConfig withPort(int newPort) {
    return new GatewayConfig(
        bootstrapServers,
        topics,
        host,
        newPort,
        ioThreads,
        hubThreads,
        pingIntervalMillis,
        processorUrls,
        processorSecret,
        limits,
        auth,
        policies,
        kafka,
        devTokens);
  }
}
