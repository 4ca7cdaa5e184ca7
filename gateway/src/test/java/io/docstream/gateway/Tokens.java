package io.docstream.gateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

/** HS256 tokens for tests. */
public final class Tokens {
  public static final String SECRET = "test-secret-test-secret-test-secret-0123";

  private Tokens() {}

  public static String hs256(String subject, Instant expires) {
    return hs256(SECRET, subject, expires);
  }

  public static String hs256(String secret, String subject, Instant expires) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader(JWSAlgorithm.HS256),
              new JWTClaimsSet.Builder()
                  .subject(subject)
                  .expirationTime(Date.from(expires))
                  .build());
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String valid(String subject) {
    return hs256(subject, Instant.now().plusSeconds(3600));
  }
}
