package io.docstream.gateway.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.docstream.gateway.AuthSettings;
import io.docstream.gateway.Viewer;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.text.ParseException;
import java.util.List;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies the JWT of an upgrade request: HS256 with a shared secret and/or RS256 with public keys
 * from a JWK set. The token must carry {@code sub} (the viewer id) and {@code exp}; {@code iss} and
 * {@code aud} are checked when configured.
 */
public final class JwtAuthenticator {
  /**
   * Actors the processor itself uses (timers are {@code docstream:timer}); no viewer may be one.
   */
  static final String RESERVED_ACTOR_PREFIX = "docstream:";

  private static final int MAX_SUBJECT_CHARS = 200;

  private final ConfigurableJWTProcessor<SecurityContext> processor;
  private final boolean enabled;

  public JwtAuthenticator(AuthSettings settings) {
    this.enabled = settings.enabled();
    this.processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(keySelector(settings));
    JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
    if (settings.issuer() != null) {
      exact.issuer(settings.issuer());
    }
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(settings.audience(), exact.build(), Set.of("sub", "exp")));
  }

  private static JWSKeySelector<SecurityContext> keySelector(AuthSettings settings) {
    Key secret =
        settings.hs256Secret() == null
            ? null
            : new SecretKeySpec(
                settings.hs256Secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    JWSKeySelector<SecurityContext> rsa = null;
    if (settings.rs256JwkSet() != null) {
      try {
        JWKSet keys = JWKSet.load(settings.rs256JwkSet().toFile());
        rsa = new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(keys));
      } catch (IOException | ParseException e) {
        throw new DocstreamException(
            ErrorCode.CONFIG_INVALID,
            "auth.rs256.jwks " + settings.rs256JwkSet() + " is not a readable JWK set: " + e,
            e);
      }
    }
    JWSKeySelector<SecurityContext> rs256 = rsa;
    return (JWSHeader header, SecurityContext context) -> {
      if (JWSAlgorithm.HS256.equals(header.getAlgorithm()) && secret != null) {
        return List.of(secret);
      }
      if (JWSAlgorithm.RS256.equals(header.getAlgorithm()) && rs256 != null) {
        return rs256.selectJWSKeys(header, context);
      }
      return List.of();
    };
  }

  /**
   * The viewer a token names; {@link Viewer#ANONYMOUS} without a token.
   *
   * @throws DocstreamException with {@link ErrorCode#UNAUTHENTICATED} for a token that does not
   *     verify, has expired or lacks a subject
   */
  public Viewer authenticate(String token) {
    if (token == null || token.isEmpty()) {
      return Viewer.ANONYMOUS;
    }
    if (!enabled) {
      throw new DocstreamException(
          ErrorCode.UNAUTHENTICATED, "this gateway accepts no tokens (auth is not configured)");
    }
    try {
      JWTClaimsSet claims = processor.process(token, null);
      String subject = claims.getSubject();
      if (subject == null || subject.isEmpty() || subject.length() > MAX_SUBJECT_CHARS) {
        throw new DocstreamException(ErrorCode.UNAUTHENTICATED, "token has no usable subject");
      }
      if (subject.startsWith(RESERVED_ACTOR_PREFIX)) {
        throw new DocstreamException(
            ErrorCode.UNAUTHENTICATED,
            "subjects starting with " + RESERVED_ACTOR_PREFIX + " are reserved");
      }
      return Viewer.of(subject);
    } catch (ParseException | BadJOSEException | JOSEException e) {
      throw new DocstreamException(ErrorCode.UNAUTHENTICATED, "invalid token: " + e.getMessage());
    }
  }
}
