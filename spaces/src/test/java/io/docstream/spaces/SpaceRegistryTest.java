package io.docstream.spaces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.document.Document;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.spaces.examples.CardsSpace;
import io.docstream.spaces.examples.ChatSpace;
import io.docstream.spaces.examples.TodoSpace;
import io.docstream.spaces.internal.JsonPatchSpace;
import io.docstream.spaces.internal.JsonSpace;
import java.util.Map;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.Test;

class SpaceRegistryTest {
  /** A plug-in as a user would write it: it remembers the options it was given. */
  public static final class EchoLogic implements SpaceLogic {
    private Map<String, String> options = Map.of();

    @Override
    public void apply(MessageContext ctx, Document doc) {
      doc.merge("", ctx.body());
    }

    @Override
    public void configure(Map<String, String> options) {
      this.options = options;
    }

    public Map<String, String> options() {
      return options;
    }
  }

  public static final class NoDefaultConstructor implements SpaceLogic {
    public NoDefaultConstructor(String unused) {}

    @Override
    public void apply(MessageContext ctx, Document doc) {}
  }

  public static final class ThrowingConstructor implements SpaceLogic {
    public ThrowingConstructor() {
      throw new IllegalStateException("boom");
    }

    @Override
    public void apply(MessageContext ctx, Document doc) {}
  }

  public abstract static class AbstractLogic implements SpaceLogic {}

  static final class PackagePrivateLogic implements SpaceLogic {
    @Override
    public void apply(MessageContext ctx, Document doc) {}
  }

  @Test
  void shouldServeTheBuiltInSpacesByDefault() {
    SpaceRegistry registry = SpaceRegistry.defaults();

    assertThat(registry.spaces())
        .extracting(Space::name)
        .containsExactly("cards", "chat", "json", "jsonpatch", "todo");
    assertThat(registry.find("json")).get().extracting(Space::logic).isInstanceOf(JsonSpace.class);
    assertThat(registry.find("jsonpatch"))
        .get()
        .extracting(Space::logic)
        .isInstanceOf(JsonPatchSpace.class);
    assertThat(registry.find("chat")).get().extracting(Space::logic).isInstanceOf(ChatSpace.class);
    assertThat(registry.find("todo")).get().extracting(Space::logic).isInstanceOf(TodoSpace.class);
    assertThat(registry.find("cards"))
        .get()
        .extracting(Space::logic)
        .isInstanceOf(CardsSpace.class);
    assertThat(registry.find("nope")).isEmpty();
  }

  @Test
  void shouldAddConfiguredSpacesToTheDefaultsAndIgnoreOtherProperties() {
    SpaceRegistry registry =
        SpaceRegistry.fromProperties(
            Map.of(
                "spaces.room.logic", "chat",
                "spaces.room.history", "3",
                "bootstrap.servers", "localhost:9092",
                "spacesX.y", "ignored"));

    assertThat(registry.spaces()).extracting(Space::name).contains("room", "chat", "json");
    assertThat(registry.find("room")).get().extracting(Space::logic).isInstanceOf(ChatSpace.class);
    assertThat(registry.find("room").get().logic())
        .isNotSameAs(registry.find("chat").get().logic());
  }

  @Test
  void shouldOverrideADefaultSpace() {
    SpaceRegistry registry = SpaceRegistry.fromProperties(Map.of("spaces.json.logic", "todo"));

    assertThat(registry.find("json")).get().extracting(Space::logic).isInstanceOf(TodoSpace.class);
  }

  @Test
  void shouldConfigureADefaultSpaceWithoutNamingItsLogic() {
    SpaceRegistry registry = SpaceRegistry.fromProperties(Map.of("spaces.chat.history", "2"));
    SpaceFixture room = new SpaceFixture("chat/x", registry.find("chat").get().logic());

    for (int i = 0; i < 4; i++) {
      room.send("alice", "{\"say\":\"m" + i + "\"}");
    }

    assertThat(room.at("/messages").size()).isEqualTo(2);
  }

  @Test
  void shouldLoadACustomClassAndPassItsOptionsWithoutThePrefix() {
    SpaceRegistry registry =
        SpaceRegistry.fromProperties(
            Map.of(
                "spaces.echo.logic", " " + EchoLogic.class.getName() + " ",
                "spaces.echo.color", "blue",
                "spaces.echo.limits.max", "7"));

    SpaceLogic logic = registry.find("echo").orElseThrow().logic();
    assertThat(logic).isInstanceOf(EchoLogic.class);
    assertThat(((EchoLogic) logic).options()).isEqualTo(Map.of("color", "blue", "limits.max", "7"));
  }

  @Test
  void shouldRefuseClassesThatCannotServeAsLogic() {
    assertClassInvalid("com.example.Missing", m -> assertThat(m).contains("not found"));
    assertClassInvalid(String.class.getName(), m -> assertThat(m).contains("does not implement"));
    assertClassInvalid(
        NoDefaultConstructor.class.getName(),
        m -> assertThat(m).contains("no public no-argument constructor"));
    assertClassInvalid(ThrowingConstructor.class.getName(), m -> assertThat(m).contains("boom"));
    assertClassInvalid(
        AbstractLogic.class.getName(), m -> assertThat(m).contains("public concrete"));
    assertClassInvalid(
        PackagePrivateLogic.class.getName(), m -> assertThat(m).contains("public concrete"));
  }

  @Test
  void shouldRefuseBadOptionsNamingTheSpace() {
    assertConfigInvalid(Map.of("spaces.chat.history", "0"), "spaces.chat", "history");
    assertConfigInvalid(Map.of("spaces.chat.history", "many"), "spaces.chat", "history");
    assertConfigInvalid(Map.of("spaces.chat.histroy", "5"), "spaces.chat", "histroy");
    assertConfigInvalid(Map.of("spaces.cards.turnMillis", "-1"), "spaces.cards", "turnMillis");
    assertConfigInvalid(Map.of("spaces.cards.handSize", "13"), "spaces.cards", "handSize");
    assertConfigInvalid(Map.of("spaces.json.strict", "true"), "spaces.json", "strict");
  }

  @Test
  void shouldRefuseMalformedKeysAndMissingLogic() {
    assertConfigInvalid(Map.of("spaces.room.history", "3"), "spaces.room.logic", "missing");
    assertConfigInvalid(Map.of("spaces.room.logic", " "), "spaces.room.logic", "missing");
    assertConfigInvalid(Map.of("spaces.room", "chat"), "spaces.room", "<space>.<option>");
    assertConfigInvalid(Map.of("spaces.room.", "chat"), "spaces.room.", "<space>.<option>");
    assertConfigInvalid(Map.of("spaces.Room.logic", "chat"), "spaces.Room.logic", "space name");
  }

  private static void assertClassInvalid(String className, ThrowingConsumer<String> message) {
    assertThatThrownBy(() -> SpaceRegistry.fromProperties(Map.of("spaces.custom.logic", className)))
        .isInstanceOfSatisfying(
            DocstreamException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.SPACE_CLASS_INVALID.code());
              assertThat(e.getMessage()).startsWith("spaces.custom.logic: ");
              message.accept(e.getMessage());
            });
  }

  private static void assertConfigInvalid(Map<String, String> properties, String... mentions) {
    Consumer<DocstreamException> check =
        e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID.code());
          assertThat(e.getMessage()).contains(mentions);
        };
    assertThatThrownBy(() -> SpaceRegistry.fromProperties(properties))
        .isInstanceOfSatisfying(DocstreamException.class, check);
  }
}
