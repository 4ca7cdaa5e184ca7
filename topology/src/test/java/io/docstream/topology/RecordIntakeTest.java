package io.docstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.topology.internal.DocProcessor;
import io.docstream.topology.internal.DocumentPartitioner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records that once stopped, looped or flooded the processor: each is answered and skipped. */
class RecordIntakeTest {
  @TempDir Path stateDir;
  private TopologyFixture fixture;

  private TopologyFixture fixture(Map<String, String> settings) {
    return fixture(settings, 1);
  }

  private TopologyFixture fixture(Map<String, String> settings, int partitions) {
    fixture = new TopologyFixture(stateDir, settings, partitions);
    return fixture;
  }

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldRejectANumberJavaCannotHoldWithItsIdAndGoOn() {
    TopologyFixture f = fixture(Map.of());
    // When a record carries a number whose exponent does not fit an int (it crash-looped the
    // stream thread), and then one beyond a double's range
    f.sendRaw(utf8("json/x"), utf8("{\"id\":\"p\",\"body\":{\"n\":1e9999999999}}"));
    f.sendRaw(utf8("json/x"), utf8("{\"id\":\"q\",\"body\":{\"n\":1e999999999}}"));
    f.send("json/x", "ok", "{\"n\":1}", null, 1);

    // Then both are rejected with 4109 naming their ids, and the next message is applied
    assertThat(f.rejections())
        .extracting(TopologyFixture.Out::code, r -> r.value().path("id").asText())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ErrorCode.NUMBER_OUT_OF_RANGE.code(), "p"),
            org.assertj.core.groups.Tuple.tuple(ErrorCode.NUMBER_OUT_OF_RANGE.code(), "q"));
    assertThat(f.deltas()).extracting(d -> d.value().path("seq").asLong()).containsExactly(1L);
  }

  @Test
  void shouldAnswerAChangeThatFailsAfterTheLogicWithItsIdAndActorAndForgetIt() {
    TopologyFixture f = fixture(Map.of("spaces.faulty.logic", FaultySpace.class.getName()));
    f.send("faulty/a", "m1", "{}", "al", 1);
    // When a message's change throws only after the logic ran (while the delta is computed)
    f.send("faulty/a", "m2", "{\"fail\":\"late\"}", "al", 2);
    f.send("faulty/a", "m3", "{}", "al", 3);

    // Then it is rejected with CHANGE_NOT_STORABLE naming its id and actor, without the cause's
    // text
    List<TopologyFixture.Out> rejections = f.rejections();
    assertThat(rejections).hasSize(1);
    assertThat(rejections.get(0).code()).isEqualTo(ErrorCode.CHANGE_NOT_STORABLE.code());
    assertThat(rejections.get(0).value().path("id").asText()).isEqualTo("m2");
    assertThat(rejections.get(0).value().path("actor").asText()).isEqualTo("al");
    assertThat(rejections.get(0).value().path("error").asText()).doesNotContain("late bomb");
    // And the next message sees the document without the failed change
    assertThat(f.deltas())
        .extracting(d -> d.value().path("seq").asLong(), d -> d.value().path("patch"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, Json.parse("{\"ok\":1,\"touched\":1}")),
            org.assertj.core.groups.Tuple.tuple(2L, Json.object()));
  }

  @Test
  void shouldCarryTheIdAndActorInEveryRejectionOfABadEnvelope() {
    TopologyFixture f = fixture(Map.of());
    f.sendRaw(utf8("json/a"), utf8("{\"id\":\"m-1\",\"actor\":\"al\",\"body\":{},\"extra\":1}"));
    f.sendRaw(utf8("json/a"), utf8("{\"id\":\"\",\"body\":{}}"));
    f.sendRaw(utf8("json/a"), utf8("{\"id\":\"m-3\",\"actor\":\"al\"}"));
    f.sendRaw(utf8("json/a"), utf8("{\"id\":\"m-4\",\"body\":{\"a\":tru"));
    f.sendRaw(utf8("bad key"), utf8("{\"id\":\"m-5\",\"body\":{}}"));
    f.sendRaw(null, utf8("{\"id\":\"m-6\",\"body\":{}}"));
    f.sendRaw(utf8("json/a"), utf8("{\"id\":\"m-7\",\"doc\":\"json/b\",\"body\":{}}"));
    f.sendRaw(
        utf8("json/a"),
        utf8("{\"id\":\"m-8\",\"body\":{\"pad\":\"" + "x".repeat(300_000) + "\"}}"));

    assertThat(f.rejections())
        .extracting(TopologyFixture.Out::code, r -> r.value().path("id").textValue())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(4101, "m-1"),
            org.assertj.core.groups.Tuple.tuple(4108, ""),
            org.assertj.core.groups.Tuple.tuple(4102, "m-3"),
            org.assertj.core.groups.Tuple.tuple(4100, "m-4"),
            org.assertj.core.groups.Tuple.tuple(4103, "m-5"),
            org.assertj.core.groups.Tuple.tuple(4104, "m-6"),
            org.assertj.core.groups.Tuple.tuple(4105, "m-7"),
            org.assertj.core.groups.Tuple.tuple(4106, "m-8"));
    assertThat(f.rejections()).isEmpty();
    assertThat(
            f.metrics.registry().find("docstream.messages.rejected").counters().stream()
                .mapToDouble(c -> c.count())
                .sum())
        .isEqualTo(8);
  }

  @Test
  void shouldNeverEchoATenKilobyteKeyWhole() {
    TopologyFixture f = fixture(Map.of());
    String key = "json/" + "k".repeat(10_000);
    f.sendRaw(utf8(key), utf8("{\"id\":\"" + "i".repeat(10_000) + "\",\"body\":{}}"));
    f.sendRaw(utf8(key), utf8("{\"body\":{}}"));

    List<TopologyFixture.Out> rejections = f.rejections();
    assertThat(rejections).hasSize(2);
    for (TopologyFixture.Out r : rejections) {
      assertThat(r.key()).hasSizeLessThan(120).endsWith("(10005 characters: too long)");
      assertThat(Json.text(r.value())).hasSizeLessThan(400);
    }
    assertThat(rejections.get(0).value().path("id").asText()).endsWith("characters: too long)");
  }

  @Test
  void shouldSkipTheOffsetsAnOperatorNamesWithRecordSkipped() {
    TopologyFixture f = fixture(Map.of("skip.records", "0@1, 0@3"));
    f.send("json/a", "m0", "{\"a\":0}", null, 1);
    f.sendRaw(utf8("json/a"), utf8("{\"id\":\"m1\",\"actor\":\"al\",\"body\":{\"a\":1}}"));
    f.send("json/a", "m2", "{\"a\":2}", null, 3);
    f.sendRaw(utf8("json/a"), utf8("garbage"));

    assertThat(f.rejections())
        .extracting(TopologyFixture.Out::code, r -> r.value().path("id").textValue())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ErrorCode.RECORD_SKIPPED.code(), "m1"),
            org.assertj.core.groups.Tuple.tuple(ErrorCode.RECORD_SKIPPED.code(), null));
    assertThat(f.deltas())
        .extracting(d -> d.value().at("/ids/0").asText())
        .containsExactly("m0", "m2");
  }

  @Test
  void shouldRejectARecordThatArrivesOffItsPartitionAfterAHop() {
    // Given a processor that takes commands to have 2 partitions, and a key that belongs on 1
    TopologyFixture f = fixture(Map.of(), 2);
    String doc = keyOnPartition(1, 2);
    RecordHeaders hopped = new RecordHeaders();
    hopped.add(DocProcessor.HOPS_HEADER, utf8("1"));

    // When a record that was already re-routed once arrives on partition 0
    f.sendRaw(utf8(doc), utf8("{\"id\":\"h\",\"body\":{}}"), hopped);

    // Then it is rejected with REROUTE_LOOP instead of being sent round again
    assertThat(f.rejections())
        .extracting(TopologyFixture.Out::code, r -> r.value().path("id").textValue())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ErrorCode.REROUTE_LOOP.code(), "h"));
    assertThat(f.deltas()).isEmpty();
  }

  @Test
  void shouldTrustThePartitionCountSeenWhenReRoutingOverTheOneReadAtStart() {
    // Given a processor that read 2 partitions at start, on a commands topic that has 1 now (the
    // test driver's), and a key that 2 partitions would put on partition 1
    TopologyFixture f = fixture(Map.of(), 2);
    String doc = keyOnPartition(1, 2);

    // When a record of it arrives on partition 0
    f.sendRaw(utf8(doc), utf8("{\"id\":\"moved\",\"body\":{\"a\":1}}"));

    // Then it hops once, to the partition of the count seen then, and is applied there
    assertThat(f.deltas())
        .extracting(d -> d.value().at("/ids/0").asText())
        .containsExactly("moved");
    assertThat(f.rejections()).isEmpty();
    assertThat(f.metrics.registry().get("docstream.messages.rerouted").counter().count())
        .isEqualTo(1);
  }

  @Test
  void shouldNotCopyInputHeadersOntoDeltasOrRejections() {
    TopologyFixture f = fixture(Map.of());
    RecordHeaders big = new RecordHeaders();
    big.add("trace", new byte[100_000]);
    f.sendRaw(utf8("json/a"), utf8("{\"body\":{\"a\":1}}"), big);
    f.sendRaw(utf8("json/a"), utf8("{\"body\":7}"), big);

    assertThat(f.deltas()).singleElement().satisfies(d -> assertThat(d.headers()).isEmpty());
    assertThat(f.rejections()).singleElement().satisfies(r -> assertThat(r.headers()).isEmpty());
  }

  static String keyOnPartition(int partition, int partitions) {
    for (int n = 0; ; n++) {
      String doc = "json/d-" + n;
      if (DocumentPartitioner.partition(utf8(doc), partitions) == partition) {
        return doc;
      }
    }
  }
}
