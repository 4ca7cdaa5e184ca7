package io.docstream.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DepartedMemberFencerTest {
  private static final String APP = "docstream";
  private static final String SELF = "11111111-1111-1111-1111-111111111111";
  private static final String PEER = "22222222-2222-2222-2222-222222222222";
  private static final String DEAD = "33333333-3333-3333-3333-333333333333";

  private final DepartedMemberFencer fencer =
      new DepartedMemberFencer(
          Admin.create(Map.of("bootstrap.servers", "127.0.0.1:1")),
          APP,
          List::of,
          new SimpleMeterRegistry());

  @AfterEach
  void close() {
    fencer.close();
  }

  @Test
  void shouldFenceOnlyTheTransactionsOfAProcessWithNoMemberLeft() {
    Optional<Set<String>> departed =
        fencer.departed(
            Map.of(txn(SELF, 1), SELF, txn(PEER, 1), PEER, txn(DEAD, 1), DEAD, txn(DEAD, 2), DEAD),
            List.of(consumer(SELF, 1), consumer(PEER, 2)),
            List.of(consumer(SELF, 1)));

    assertThat(departed).contains(Set.of(txn(DEAD, 1), txn(DEAD, 2)));
  }

  @Test
  void shouldNeverFenceALiveProcessWhateverThreadItsMemberRuns() {
    Optional<Set<String>> departed =
        fencer.departed(
            Map.of(txn(PEER, 1), PEER, txn(PEER, 3), PEER),
            List.of(consumer(SELF, 1), consumer(PEER, 2)),
            List.of(consumer(SELF, 1)));

    assertThat(departed).contains(Set.of());
  }

  @Test
  void shouldNeverFenceItsOwnProcessEvenWhenTheGroupDoesNotListIt() {
    Optional<Set<String>> departed =
        fencer.departed(
            Map.of(txn(SELF, 1), SELF, txn(DEAD, 1), DEAD),
            List.of(consumer(PEER, 1)),
            List.of(consumer(SELF, 1)));

    assertThat(departed).as("not a member: cannot tell who left").isEmpty();
  }

  @Test
  void shouldFenceNothingWhenAMemberDoesNotNameItsProcess() {
    Optional<Set<String>> departed =
        fencer.departed(
            Map.of(txn(DEAD, 1), DEAD),
            List.of(consumer(SELF, 1), "custom-client-StreamThread-1-consumer"),
            List.of(consumer(SELF, 1)));

    assertThat(departed).isEmpty();
  }

  @Test
  void shouldFenceNothingWhenItsOwnClientIdsAreUnknown() {
    Optional<Set<String>> departed =
        fencer.departed(Map.of(txn(DEAD, 1), DEAD), List.of(consumer(SELF, 1)), List.of());

    assertThat(departed).isEmpty();
  }

  @Test
  void shouldNotTakeAMemberOfAnotherApplicationForOneOfThis() {
    Optional<Set<String>> departed =
        fencer.departed(
            Map.of(txn(DEAD, 1), DEAD),
            List.of(consumer(SELF, 1), "docstream-g2-" + DEAD + "-StreamThread-1-consumer"),
            List.of(consumer(SELF, 1)));

    assertThat(departed).as("an unreadable member stops the check").isEmpty();
  }

  private static String txn(String process, int thread) {
    return APP + "-" + process + "-" + thread;
  }

  private static String consumer(String process, int thread) {
    return APP + "-" + process + "-StreamThread-" + thread + "-consumer";
  }
}
