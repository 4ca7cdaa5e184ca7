package io.docstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class StreamHealthTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final StreamHealth health = new StreamHealth(10_000, now::get);

  private static Throwable failureOfTask(String message) {
    return new StreamsException(new IllegalStateException(message), new TaskId(0, 3));
  }

  @Test
  void shouldStayHealthyAfterOneReplacedThread() {
    health.failed("stream-thread-1", "0_1,0_3", failureOfTask("blip"));

    assertThat(health.status(KafkaStreams.State.RUNNING).path("ok").asBoolean()).isTrue();
  }

  @Test
  void shouldBeUnhealthyWhileThreadsFailAgainAndAgainNamingTaskThreadAndError() {
    health.failed("stream-thread-1", "0_1,0_3", failureOfTask("boom"));
    now.addAndGet(3_000);
    health.failed("stream-thread-2", "0_3", failureOfTask("boom"));

    ObjectNode status = health.status(KafkaStreams.State.RUNNING);
    assertThat(status.path("ok").asBoolean()).isFalse();
    assertThat(status.path("failures")).hasSize(2);
    assertThat(status.at("/failures/1/thread").asText()).isEqualTo("stream-thread-2");
    assertThat(status.at("/failures/1/task").asText()).isEqualTo("0_3");
    assertThat(status.at("/failures/1/error").asText()).contains("IllegalStateException: boom");
  }

  @Test
  void shouldBeHealthyAgainOnceAWindowPassedWithoutAFailure() {
    health.failed("stream-thread-1", "0_1,0_3", failureOfTask("boom"));
    health.failed("stream-thread-2", "0_3", failureOfTask("boom"));
    now.addAndGet(9_999);
    assertThat(health.status(KafkaStreams.State.RUNNING).path("ok").asBoolean()).isFalse();

    now.addAndGet(1);

    ObjectNode status = health.status(KafkaStreams.State.RUNNING);
    assertThat(status.path("ok").asBoolean()).isTrue();
    assertThat(status.has("failures")).isFalse();
  }

  @Test
  void shouldNameTheThreadsTasksWhenTheErrorNamesNone() {
    health.failed("stream-thread-1", "0_1,0_3", new AssertionError("bug"));
    health.failed("stream-thread-2", "0_1,0_3", new AssertionError("bug"));

    assertThat(health.status(KafkaStreams.State.RUNNING).at("/failures/0/task").asText())
        .isEqualTo("0_1,0_3");
  }

  @Test
  void shouldBeUnhealthyWhenNotRunning() {
    assertThat(health.status(KafkaStreams.State.REBALANCING).path("ok").asBoolean()).isFalse();
  }
}
