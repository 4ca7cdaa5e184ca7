package io.docstream.cli;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The embedded default's HS256 secret, made once per data directory and kept in it. */
final class DevSecret {
  private static final int SECRET_BYTES = 32;

  private DevSecret() {}

  static String readOrCreate(Path dataDir) {
    Path file = dataDir.resolve("dev-secret");
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      byte[] random = new byte[SECRET_BYTES];
      new SecureRandom().nextBytes(random);
      String secret = HexFormat.of().formatHex(random);
      Files.createDirectories(dataDir);
      Files.writeString(file, secret, StandardCharsets.UTF_8);
      return secret;
    } catch (IOException e) {
      throw new DocstreamException(ErrorCode.CONFIG_UNREADABLE, "cannot use " + file + ": " + e, e);
    }
  }
}
