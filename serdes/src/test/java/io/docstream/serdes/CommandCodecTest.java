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

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"body\":{\"n\":1e9999999999}} | 4109",
        "{\"body\":{\"n\":1e999999999}} | 4109",
        "{\"body\":{\"n\":-1e309}} | 4109",
        "{\"body\":{\"n\":1e-999999999}} | 4109",
        "{\"body\":[{\"deep\":[1, 2e400]}]} | 4109",
        "{\"body\":{\"n\":1"
            + "000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "000000000000000000000000000000000000000000000000000000000000000000000}} | 4109",
        "{\"body\":{\"n\":1e99999999999999999999}} | 4109",
        "{\"body\":{\"n\":" + "9" + "} | 4100"
      })
  void shouldRejectNumbersThatDoNotFitADoubleWithACode(String value, int code) {
    assertThatThrownBy(() -> CommandCodec.parse(utf8(value), 100_000))
        .isInstanceOfSatisfying(
            DocstreamException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"body\":{\"n\":1.7976931348623157e308}}",
        "{\"body\":{\"n\":-4.9e-324}}",
        "{\"body\":{\"n\":0e-999999999}}",
        "{\"body\":{\"n\":0.1000000000000000000000000000001}}",
        "{\"body\":{\"n\":123456789012345678901234567890}}"
      })
  void shouldAcceptNumbersWithinADoublesRangeAndKeepThemAsSent(String value) {
    Command c = CommandCodec.parse(utf8(value), 1000);
    String sent = value.substring(value.lastIndexOf(':') + 1, value.length() - 2);
    assertThat(c.body().get("n").decimalValue()).isEqualByComparingTo(sent);
  }

  @Test
  void shouldNeverThrowAnythingButACodedErrorWhateverTheBytes() {
    java.util.Random random = new java.util.Random(7);
    String[] pieces = {
      "{",
      "}",
      "[",
      "]",
      "\"",
      ":",
      ",",
      "1e",
      "999999999999",
      "-",
      ".",
      "body",
      "id",
      "\\u",
      "\u00e9",
      "null",
      " "
    };
    for (int i = 0; i < 20_000; i++) {
      StringBuilder value = new StringBuilder("{\"body\":");
      for (int n = random.nextInt(12); n > 0; n--) {
        value.append(pieces[random.nextInt(pieces.length)]);
      }
      byte[] bytes = utf8(value.toString());
      try {
        CommandCodec.parse(bytes, 1000);
      } catch (DocstreamException e) {
        assertThat(e.code()).isBetween(4100, 4109);
      }
      assertThat(CommandCodec.sender(bytes)).isNotNull();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"id\":\"m-1\",\"actor\":\"bob\",\"body\":{},\"extra\":1} | m-1 | bob",
        "{\"actor\":\"bob\",\"body\":{\"x\":[1,{\"id\":\"inner\"}]},\"id\":\"m-2\",\"ts\":\"x\"} | m-2 | bob",
        "{\"id\":\"\",\"body\":{}} | '' |",
        "{\"id\":\"m-3\",\"body\":{not json | m-3 |",
        "{\"body\":{},\"id\":7,\"actor\":\"al\"} | | al",
        "not json at all | |",
        "[\"id\",\"m-4\"] | |"
      })
  void shouldReadTheSenderOfARecordAsFarAsItIsReadable(String value, String id, String actor) {
    assertThat(CommandCodec.sender(utf8(value))).isEqualTo(new CommandCodec.Sender(id, actor));
  }

  @Test
  void shouldCutALongIdOrActorOrKeyInsteadOfEchoingIt() {
    String huge = "k".repeat(10_000);
    CommandCodec.Sender sender =
        CommandCodec.sender(utf8("{\"id\":\"" + huge + "\",\"actor\":\"" + huge + "\"}"));
    assertThat(sender.id()).hasSizeLessThan(120).endsWith("(10000 characters: too long)");
    assertThat(sender.actor()).isEqualTo(sender.id());
    assertThatThrownBy(() -> DocKey.parse("json/" + huge))
        .isInstanceOfSatisfying(
            DocstreamException.class,
            e -> assertThat(e.getMessage()).hasSizeLessThan(200).contains("too long"));
    assertThatThrownBy(() -> CommandCodec.parse(utf8("{\"body\":{},\"" + huge + "\":1}"), 20_000))
        .isInstanceOfSatisfying(
            DocstreamException.class,
            e -> assertThat(e.getMessage()).hasSizeLessThan(200).contains("too long"));
    Command named = Command.of(null, Json.object()).withDoc(huge);
    assertThatThrownBy(() -> CommandCodec.target("json/" + huge, named))
        .isInstanceOfSatisfying(
            DocstreamException.class,
            e -> assertThat(e.getMessage()).hasSizeLessThan(300).contains("too long"));
  }
}
