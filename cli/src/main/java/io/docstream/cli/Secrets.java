package io.docstream.cli;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The embedded default's secrets, made once per data directory and kept in it: {@value #DEV} signs
 * development tokens (HS256), {@value #HTTP} guards the processor's read API.
 */
final class Secrets {
  static final String DEV = "dev-secret";
  static final String HTTP = "http-secret";
  private static final int SECRET_BYTES = 32;

  private Secrets() {}

  static String readOrCreate(Path dataDir, String name) {
    Optional<String> existing = read(dataDir, name);
    if (existing.isPresent()) {
      return existing.get();
    }
    Path file = dataDir.resolve(name);
    byte[] random = new byte[SECRET_BYTES];
    new SecureRandom().nextBytes(random);
    String secret = HexFormat.of().formatHex(random);
    try {
      Files.createDirectories(dataDir);
      Files.writeString(file, secret, StandardCharsets.UTF_8);
      return secret;
    } catch (IOException e) {
      throw new DocstreamException(
          ErrorCode.CONFIG_UNREADABLE, "cannot write " + file + ": " + e, e);
    }
  }

  /** The secret kept in {@code dataDir}, if there is one. */
  static Optional<String> read(Path dataDir, String name) {
    Path file = dataDir.resolve(name);
    try {
      return Files.exists(file)
          ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
          : Optional.empty();
    } catch (IOException e) {
      throw new DocstreamException(
          ErrorCode.CONFIG_UNREADABLE, "cannot read " + file + ": " + e, e);
    }
  }
}
