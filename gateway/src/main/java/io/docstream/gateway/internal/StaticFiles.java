package io.docstream.gateway.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo page and the JavaScript client, served from the gateway's jar (folder {@code root}):
 * {@code /} is {@code index.html}; a path with {@code ..}, or of a type not listed, is not served.
 */
final class StaticFiles {
  /** A file's bytes and content type. */
  record File(byte[] bytes, String contentType) {}

  private static final Map<String, String> TYPES =
      Map.of(
          ".html", "text/html; charset=utf-8",
          ".js", "text/javascript; charset=utf-8",
          ".css", "text/css; charset=utf-8",
          ".svg", "image/svg+xml");

  private final String root;
  private final Map<String, Optional<File>> loaded = new ConcurrentHashMap<>();

  StaticFiles(String root) {
    this.root = root;
  }

  Optional<File> find(String path) {
    String name = path.equals("/") ? "/index.html" : path;
    if (name.contains("..") || name.contains("//")) {
      return Optional.empty();
    }
    int dot = name.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(name.substring(dot));
    if (type == null) {
      return Optional.empty();
    }
    return loaded.computeIfAbsent(name, n -> load(n, type));
  }

  private Optional<File> load(String name, String type) {
    try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(root + name)) {
      return in == null ? Optional.empty() : Optional.of(new File(in.readAllBytes(), type));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + root + name, e);
    }
  }
}
