package io.docstream.serdes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Document keys: the hand-written checks accept exactly what the documented patterns match. */
class DocKeyTest {
  private static final Pattern SPACE = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._~:@+=-]{1,200}");

  /** ASCII around every boundary of the two alphabets, plus a few non-ASCII characters. */
  private static final String CHARACTERS =
      "az09AZ_-.~:@+=/`{[@ !\"#$%&'()*,;<>?\\^|}\u00e9\u0130\u212a\u0000\u007f\ud83d\ude00";

  @Property(tries = 2000)
  void shouldAcceptASpaceExactlyWhenThePatternMatches(@ForAll("texts") String space) {
    assertThat(DocKey.validSpace(space)).isEqualTo(SPACE.matcher(space).matches());
  }

  @Property(tries = 2000)
  void shouldAcceptAnIdExactlyWhenThePatternMatches(@ForAll("texts") String id) {
    assertThat(DocKey.validId(id)).isEqualTo(ID.matcher(id).matches());
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars(CHARACTERS.toCharArray()).ofMaxLength(8),
        Arbitraries.strings().withChars("abz09_-".toCharArray()).ofMinLength(60).ofMaxLength(70),
        Arbitraries.strings()
            .withChars("aZ9.~:@+=-".toCharArray())
            .ofMinLength(195)
            .ofMaxLength(205));
  }

  @ParameterizedTest
  @ValueSource(strings = {"chat/lobby", "a/b", "x-1_y/A.b~c:d@e+f=g-h"})
  void shouldParseValidKeys(String key) {
    DocKey doc = DocKey.parse(key);
    assertThat(doc.toString()).isEqualTo(key);
  }

  @ParameterizedTest
  @ValueSource(strings = {"chat", "/lobby", "chat/", "Chat/lobby", "1chat/lobby", "chat/lob by"})
  void shouldRejectInvalidKeysWithTheirCode(String key) {
    assertThatThrownBy(() -> DocKey.parse(key))
        .isInstanceOfSatisfying(
            DocstreamException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.DOC_KEY_INVALID.code()));
  }
}
