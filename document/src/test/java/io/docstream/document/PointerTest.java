package io.docstream.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PointerTest {

  @Test
  void shouldParseTheRootAsNoSegments() {
    assertThat(Pointer.parse("")).isEmpty();
  }

  @Test
  void shouldParseTheExamplesOfRfc6901() {
    assertThat(Pointer.parse("/foo/0")).containsExactly("foo", "0");
    assertThat(Pointer.parse("/")).containsExactly("");
    assertThat(Pointer.parse("/a~1b")).containsExactly("a/b");
    assertThat(Pointer.parse("/m~0n")).containsExactly("m~n");
    assertThat(Pointer.parse("/ ")).containsExactly(" ");
    assertThat(Pointer.parse("/a//b/")).containsExactly("a", "", "b", "");
  }

  @Test
  void shouldUnescapeTildeOneBeforeTildeZero() {
    assertThat(Pointer.parse("/~01")).containsExactly("~1");
    assertThat(Pointer.parse("/~10")).containsExactly("/0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "a/b", "/~", "/a~2", "/~/", "/a~"})
  void shouldRejectMalformedPointersAsPathInvalid(String pointer) {
    assertThatThrownBy(() -> Pointer.parse(pointer))
        .isInstanceOf(DocstreamException.class)
        .extracting(e -> ((DocstreamException) e).errorCode())
        .isEqualTo(ErrorCode.PATH_INVALID);
  }

  @Test
  void shouldFormatSegmentsSoThatTheyParseBack() {
    List<String> segments = List.of("a/b", "~1", "", "0");

    assertThat(Pointer.format(segments)).isEqualTo("/a~1b/~01//0");
    assertThat(Pointer.parse(Pointer.format(segments))).isEqualTo(segments);
    assertThat(Pointer.format(List.of())).isEmpty();
  }

  @Test
  void shouldReadArrayIndexesWithoutLeadingZeros() {
    assertThat(Pointer.index("0")).isZero();
    assertThat(Pointer.index("42")).isEqualTo(42);
    assertThat(Pointer.index("01")).isEqualTo(-1);
    assertThat(Pointer.index("-")).isEqualTo(-1);
    assertThat(Pointer.index("")).isEqualTo(-1);
    assertThat(Pointer.index("1a")).isEqualTo(-1);
    assertThat(Pointer.index("+1")).isEqualTo(-1);
    assertThat(Pointer.index("9999999999")).isEqualTo(-1);
  }
}
