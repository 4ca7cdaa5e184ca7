package io.docstream.serdes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ErrorTableTest {
  private static final Path TABLE = Path.of("..", "docs", "errors.md");

  @Test
  void shouldGiveEveryErrorAUniqueCode() {
    Set<Integer> codes =
        Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toSet());
    assertThat(codes).hasSize(ErrorCode.values().length);
  }

  @Test
  void shouldKeepCheckedInTableInStepWithRegistry() throws IOException {
    String generated = ErrorTable.markdown();
    if (Boolean.getBoolean("docstream.errors.write")) {
      Files.writeString(TABLE, generated, StandardCharsets.UTF_8);
    }
    assertThat(TABLE).exists();
    assertThat(Files.readString(TABLE, StandardCharsets.UTF_8))
        .as("docs/errors.md is stale; regenerate it (see its header)")
        .isEqualTo(generated);
  }

  @Test
  void shouldReserveOnlyTheCustomRangeForSpaces() {
    assertThat(ErrorCode.isSpaceDefined(10_000)).isTrue();
    assertThat(ErrorCode.isSpaceDefined(19_999)).isTrue();
    assertThat(ErrorCode.isSpaceDefined(4201)).isFalse();
    assertThat(Arrays.stream(ErrorCode.values()).filter(c -> ErrorCode.isSpaceDefined(c.code())))
        .containsExactly(ErrorCode.SPACE_DEFINED);
  }
}
