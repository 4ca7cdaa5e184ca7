package io.docstream.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.gateway.AuthSettings;
import io.docstream.gateway.Tokens;
import io.docstream.gateway.Viewer;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UpgradeAuthenticatorTest {
  private static final JwtAuthenticator AUTH =
      new JwtAuthenticator(AuthSettings.hs256(Tokens.SECRET));

  private static EmbeddedChannel upgrade(boolean anonymousAllowed, String token) {
    EmbeddedChannel channel = new EmbeddedChannel(new UpgradeAuthenticator(AUTH, anonymousAllowed));
    channel.writeInbound(
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, token == null ? "/ws" : "/ws?token=" + token));
    return channel;
  }

  private static void assertRefusedWith401(EmbeddedChannel channel, String reason) {
    FullHttpResponse response = channel.readOutbound();
    try {
      assertThat(response.status().code()).isEqualTo(401);
      assertThat(response.headers().get("Content-Type")).isEqualTo("application/json");
      var body = Json.parse(response.content().toString(StandardCharsets.UTF_8));
      assertThat(body.get("code").asInt()).isEqualTo(ErrorCode.UNAUTHENTICATED.code());
      assertThat(body.get("error").asText()).contains(reason);
    } finally {
      response.release();
    }
    assertThat((Object) channel.readInbound()).as("no upgrade").isNull();
    assertThat(channel.isOpen()).isFalse();
  }

  private static Viewer upgradedAs(EmbeddedChannel channel) {
    FullHttpRequest passed = channel.readInbound();
    assertThat(passed).as("the upgrade goes ahead").isNotNull();
    passed.release();
    assertThat((Object) channel.readOutbound()).isNull();
    return channel.attr(UpgradeAuthenticator.VIEWER).get();
  }

  @Test
  void shouldAnswerAnExpiredTokenWith401AndCode4001() {
    String expired = Tokens.hs256("mallory", Instant.now().minusSeconds(60));
    assertRefusedWith401(upgrade(true, expired), "invalid token");
  }

  @Test
  void shouldAnswerABadlySignedTokenWith401() {
    String forged =
        Tokens.hs256(
            "other-secret-other-secret-other-secret-0", "mallory", Instant.now().plusSeconds(60));
    assertRefusedWith401(upgrade(true, forged), "invalid token");
  }

  @Test
  void shouldAnswerASubjectReservedForTheProcessorWith401() {
    assertRefusedWith401(upgrade(true, Tokens.valid("docstream:timer")), "reserved");
  }

  @Test
  void shouldAnswerNoTokenWith401WhenNoSpaceAllowsAnonymousAccess() {
    assertRefusedWith401(upgrade(false, null), "a token is required");
  }

  @Test
  void shouldUpgradeWithoutTokenAsAnonymousWhereASpaceAllowsIt() {
    assertThat(upgradedAs(upgrade(true, null))).isEqualTo(Viewer.ANONYMOUS);
  }

  @Test
  void shouldUpgradeAValidTokenAsItsSubject() {
    assertThat(upgradedAs(upgrade(false, Tokens.valid("alice")))).isEqualTo(Viewer.of("alice"));
  }
}
