import io.docstream.broker.BrokerOptions;
import io.docstream.broker.KafkaBroker;
import io.docstream.gateway.GatewayApp;
import io.docstream.gateway.GatewayConfig;
import io.docstream.serdes.ConfigReader;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.TopicSetup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A whole docstream on 127.0.0.1 for end-to-end tests of the clients: a broker (own JVM), the
 * topics, a processor and a gateway. Run from source with the gateway's Maven-built classpath:
 *
 * <pre>java -cp CLASSPATH Stack.java DATA_DIR HS256_SECRET [key=value ...]</pre>
 *
 * Extra settings go to both processor and gateway. Prints one line {@code READY <json>} with the
 * ports, then runs until its standard input closes.
 */
public class Stack {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    KafkaBroker broker = KafkaBroker.start(BrokerOptions.inDirectory(dir.resolve("broker")));
    Map<String, String> settings = new TreeMap<>();
    settings.put("bootstrap.servers", broker.bootstrapServers());
    settings.put("state.dir", dir.resolve("state").toString());
    settings.put("http.port", "0");
    settings.put("commit.interval.ms", "20");
    settings.put("gateway.port", "0");
    settings.put("auth.hs256.secret", args[1]);
    for (int i = 2; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    TopicSetup.ensure(
        TopicSetup.adminProps(broker.bootstrapServers(), Map.of()),
        new TopicNames(settings.getOrDefault("topic.prefix", "docstream")),
        3,
        (short) 1);
    ProcessorApp processor = ProcessorApp.start(ProcessorConfig.from(new ConfigReader(settings)));
    processor.awaitRunning(Duration.ofSeconds(120));
    settings.put("processor.urls", "http://127.0.0.1:" + processor.httpPort());
    GatewayApp gateway = GatewayApp.start(GatewayConfig.from(new ConfigReader(settings)));
    System.out.printf(
        "READY {\"gateway\":%d,\"processor\":%d,\"kafka\":\"%s\"}%n",
        gateway.port(), processor.httpPort(), broker.bootstrapServers());
    System.out.flush();
    while (System.in.read() >= 0) {
      // runs until the parent closes stdin
    }
    gateway.close();
    processor.close();
    broker.stop();
  }
}
