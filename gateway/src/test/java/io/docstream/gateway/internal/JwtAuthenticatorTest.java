package io.docstream.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.docstream.gateway.AuthSettings;
import io.docstream.gateway.Tokens;
import io.docstream.gateway.Viewer;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtAuthenticatorTest {
  private final JwtAuthenticator hs256 = new JwtAuthenticator(AuthSettings.hs256(Tokens.SECRET));

  @Test
  void shouldTakeTheViewerFromAValidHs256Token() {
    assertThat(hs256.authenticate(Tokens.valid("alice"))).isEqualTo(Viewer.of("alice"));
  }

  @Test
  void shouldRefuseSubjectsThatWouldImpersonateTheProcessorsTimers() {
    assertUnauthenticated(hs256, Tokens.valid("docstream:timer"));
  }

  @Test
  void shouldBeAnonymousWithoutAToken() {
    assertThat(hs256.authenticate(null)).isEqualTo(Viewer.ANONYMOUS);
  }

  @Test
  void shouldRefuseExpiredForgedAndMalformedTokens() {
    assertUnauthenticated(hs256, Tokens.hs256("alice", Instant.now().minusSeconds(120)));
    assertUnauthenticated(
        hs256,
        Tokens.hs256(
            "another-secret-another-secret-0123456", "alice", Instant.now().plusSeconds(60)));
    assertUnauthenticated(hs256, "not.a.token");
    assertUnauthenticated(new JwtAuthenticator(AuthSettings.none()), Tokens.valid("alice"));
  }

  @Test
  void shouldVerifyRs256WithPublicKeysFromAJwkSet(@TempDir Path dir) throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
    Path jwks = dir.resolve("keys.json");
    Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    JwtAuthenticator rs256 = new JwtAuthenticator(new AuthSettings(null, jwks, "docstream", null));
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
            new JWTClaimsSet.Builder()
                .subject("bob")
                .issuer("docstream")
                .expirationTime(Date.from(Instant.now().plusSeconds(60)))
                .build());
    jwt.sign(new RSASSASigner(key));

    assertThat(rs256.authenticate(jwt.serialize())).isEqualTo(Viewer.of("bob"));
    assertUnauthenticated(rs256, Tokens.valid("bob")); // HS256 is not configured there
  }

  private static void assertUnauthenticated(JwtAuthenticator authenticator, String token) {
    assertThatThrownBy(() -> authenticator.authenticate(token))
        .isInstanceOf(DocstreamException.class)
        .extracting(e -> ((DocstreamException) e).errorCode())
        .isEqualTo(ErrorCode.UNAUTHENTICATED);
  }
}
