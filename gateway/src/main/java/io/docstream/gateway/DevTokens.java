package io.docstream.gateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

/** HS256 tokens for development: the embedded default, the demo page and tests. */
public final class DevTokens {
  private DevTokens() {}

  /** A token whose subject (the viewer id) is {@code viewer}, valid until {@code expires}. */
  public static String hs256(String secret, String viewer, Instant expires) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader(JWSAlgorithm.HS256),
              new JWTClaimsSet.Builder()
                  .subject(viewer)
                  .expirationTime(Date.from(expires))
                  .build());
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new DocstreamException(ErrorCode.CONFIG_INVALID, "cannot sign with this secret", e);
    }
  }
}
