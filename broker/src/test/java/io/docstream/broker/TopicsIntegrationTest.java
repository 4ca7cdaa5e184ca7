package io.docstream.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicsIntegrationTest {

  @Test
  void shouldCreateMissingTopicsAndLeaveExistingOnesAlone() throws Exception {
    String bootstrap = SharedBroker.bootstrapServers();
    Topics.createIfAbsent(bootstrap, Map.of(), List.of(new NewTopic("topics-a", 2, (short) 1)));

    Topics.createIfAbsent(
        bootstrap,
        Map.of(),
        List.of(new NewTopic("topics-a", 5, (short) 1), new NewTopic("topics-b", 1, (short) 1)));

    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      var topics = admin.describeTopics(List.of("topics-a", "topics-b")).allTopicNames().get();
      assertThat(topics.get("topics-a").partitions()).hasSize(2);
      assertThat(topics.get("topics-b").partitions()).hasSize(1);
    }
  }

  @Test
  void shouldFailWithTopicSetupCodeWhenTheClusterCannotHostTheTopic() {
    List<NewTopic> threeReplicas = List.of(new NewTopic("topics-replicated", 1, (short) 3));

    assertThatThrownBy(
            () -> Topics.createIfAbsent(SharedBroker.bootstrapServers(), Map.of(), threeReplicas))
        .isInstanceOfSatisfying(
            DocstreamException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TOPIC_SETUP_FAILED))
        .hasMessageContaining("topics-replicated");
  }
}
