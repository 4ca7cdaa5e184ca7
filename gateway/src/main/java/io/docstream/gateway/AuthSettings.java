package io.docstream.gateway;

import java.nio.file.Path;

/**
 * How the gateway verifies JWTs on the upgrade request. With neither a secret nor a key set, every
 * connection is anonymous and a presented token is refused.
 *
 * @param hs256Secret the shared HS256 secret (development), at least 32 bytes, or null
 * @param rs256JwkSet a JWK set file holding the RS256 public keys (production), or null
 * @param issuer the required {@code iss} claim, or null for any
 * @param audience the required {@code aud} claim, or null for any
 */
public record AuthSettings(String hs256Secret, Path rs256JwkSet, String issuer, String audience) {
  public static final int MIN_SECRET_BYTES = 32;

  public static AuthSettings none() {
    return new AuthSettings(null, null, null, null);
  }

  public static AuthSettings hs256(String secret) {
    return new AuthSettings(secret, null, null, null);
  }

  public boolean enabled() {
    return hs256Secret != null || rs256JwkSet != null;
  }
}
