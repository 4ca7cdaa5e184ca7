package io.docstream.serdes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandCodecTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldReadEveryField() {
    Command c =
        CommandCodec.parse(
            utf8(
                "{\"id\":\"m-1\",\"body\":{\"a\":1},\"actor\":\"alice\",\"ts\":17,\"doc\":\"chat/x\"}"),
            1000);
    assertThat(c.id()).isEqualTo("m-1");
    assertThat(c.body().get("a").intValue()).isEqualTo(1);
    assertThat(c.actor()).isEqualTo("alice");
    assertThat(c.ts()).isEqualTo(17L);
    assertThat(c.doc()).isEqualTo("chat/x");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not json | 4100",
        "'' | 4100",
        "[1,2] | 4101",
        "{\"body\":{},\"extra\":1} | 4101",
        "{\"body\":{},\"ts\":\"soon\"} | 4101",
        "{\"body\":{},\"ts\":-1} | 4101",
        "{\"body\":{},\"id\":7} | 4101",
        "{\"id\":\"x\"} | 4102",
        "{\"body\":null} | 4102",
        "{\"body\":{},\"id\":\"\"} | 4108",
        "{\"body\":{},\"body\":{}} | 4100",
        "{\"body\":{}} trailing | 4100"
      })
  void shouldRejectMalformedRecordsWithACode(String value, int code) {
    assertThatThrownBy(() -> CommandCodec.parse(utf8(value), 1000))
        .isInstanceOfSatisfying(
            DocstreamException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void shouldRejectOversizedRecordsBeforeParsing() {
    assertThatThrownBy(() -> CommandCodec.parse(new byte[2000], 1000))
        .isInstanceOfSatisfying(
            DocstreamException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_TOO_LARGE));
  }

  @Test
  void shouldTargetTheKeyOrTheDocField() {
    Command named = Command.of(null, Json.object()).withDoc("chat/lobby");
    assertThat(CommandCodec.target(null, named)).isEqualTo(new DocKey("chat", "lobby"));
    assertThat(CommandCodec.target("chat/lobby", named)).isEqualTo(new DocKey("chat", "lobby"));
    assertThatThrownBy(() -> CommandCodec.target("chat/other", named))
        .hasFieldOrPropertyWithValue("code", ErrorCode.DOC_KEY_MISMATCH.code());
    assertThatThrownBy(() -> CommandCodec.target(null, Command.of(null, Json.object())))
        .hasFieldOrPropertyWithValue("code", ErrorCode.DOC_KEY_MISSING.code());
  }

  @ParameterizedTest
  @CsvSource({"nospace", "Chat/x", "chat/", "/x", "chat/a b", "chat/a/b"})
  void shouldRejectInvalidDocumentKeys(String key) {
    assertThatThrownBy(() -> DocKey.parse(key))
        .hasFieldOrPropertyWithValue("code", ErrorCode.DOC_KEY_INVALID.code());
  }
}
