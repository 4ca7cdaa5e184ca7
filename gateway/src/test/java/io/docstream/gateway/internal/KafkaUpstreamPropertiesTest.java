package io.docstream.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class KafkaUpstreamPropertiesTest {
  @Test
  void theSocketReceiveBufferIsTheOperatingSystemsUnlessKafkaKeysSetIt() {
    Properties plain = KafkaUpstream.consumerProperties("127.0.0.1:9092", Map.of());
    Properties set =
        KafkaUpstream.consumerProperties(
            "127.0.0.1:9092", Map.of(ConsumerConfig.RECEIVE_BUFFER_CONFIG, "262144"));

    assertThat(plain.get(ConsumerConfig.RECEIVE_BUFFER_CONFIG)).isEqualTo("-1");
    assertThat(set.get(ConsumerConfig.RECEIVE_BUFFER_CONFIG)).isEqualTo("262144");
  }

  @Test
  void whatTheUpstreamDependsOnWinsOverKafkaKeys() {
    Properties props =
        KafkaUpstream.consumerProperties(
            "127.0.0.1:9092",
            Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.GROUP_ID_CONFIG, "shared",
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "elsewhere:9092"));

    assertThat(props.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
    assertThat(props).doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG);
    assertThat(props.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("127.0.0.1:9092");
  }
}
