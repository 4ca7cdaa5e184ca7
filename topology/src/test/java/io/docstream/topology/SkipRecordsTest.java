package io.docstream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SkipRecordsTest {
  @Test
  void shouldReadPartitionAtOffsetPairs() {
    SkipRecords skip = SkipRecords.parse("skip.records", "3@1042, 0@7");

    assertThat(skip.contains(3, 1042)).isTrue();
    assertThat(skip.contains(0, 7)).isTrue();
    assertThat(skip.contains(0, 1042)).isFalse();
    assertThat(SkipRecords.parse("skip.records", "").positions()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"3", "3@", "@5", "a@1", "1@-2", "-1@0", "1@2@3", "1@2,,"})
  void shouldStopStartUpOnABadValueWithCode6001(String value) {
    assertThatThrownBy(
            () ->
                ProcessorConfig.from(
                    new ConfigReader(Map.of("bootstrap.servers", "x:1", "skip.records", value))))
        .isInstanceOfSatisfying(
            DocstreamException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIG_INVALID);
              assertThat(e.getMessage()).startsWith("skip.records");
            });
  }
}
