package io.docstream.broker.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The lines of a process's log that explain why it failed: its error lines and causes, which a
 * shutdown's chatter would otherwise bury, then its last lines.
 */
public final class LogExcerpt {
  private static final int MAX_BYTES = 1024 * 1024;
  private static final int MAX_ERROR_LINES = 12;
  private static final int LAST_LINES = 15;

  private LogExcerpt() {}

  /** The excerpt of what {@code file} gained after its first {@code fromByte} bytes. */
  public static String of(Path file, long fromByte) {
    List<String> lines;
    try {
      lines = since(file, fromByte).lines().toList();
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
    Set<String> errors = new LinkedHashSet<>();
    for (String line : lines) {
      if (errors.size() < MAX_ERROR_LINES && isError(line)) {
        errors.add(line);
      }
    }
    return "Errors in "
        + file
        + ":\n"
        + String.join("\n", errors)
        + "\nLast lines of "
        + file
        + ":\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - LAST_LINES), lines.size()));
  }

  private static boolean isError(String line) {
    return line.contains(" ERROR ") || line.contains(" FATAL ") || line.startsWith("Caused by:");
  }

  /** The text {@code file} gained after its first {@code fromByte} bytes, at most its last MB. */
  public static String since(Path file, long fromByte) throws IOException {
    if (!Files.exists(file)) {
      return "";
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(fromByte, in.length() - MAX_BYTES);
      byte[] bytes = new byte[(int) Math.max(0, in.length() - start)];
      in.seek(start);
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
