package io.docstream.gateway;

import java.time.Instant;

/** HS256 tokens for tests. */
public final class Tokens {
  public static final String SECRET = "test-secret-test-secret-test-secret-0123";

  private Tokens() {}

  public static String hs256(String subject, Instant expires) {
    return hs256(SECRET, subject, expires);
  }

  public static String hs256(String secret, String subject, Instant expires) {
    return DevTokens.hs256(secret, subject, expires);
  }

  public static String valid(String subject) {
    return hs256(subject, Instant.now().plusSeconds(3600));
  }
}
