package io.docstream.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One setting of a scale bench, {@code label=...[,cp=<build
 * root>][,restore=true][,profile=true][,key=value...]}: the processor's class path (this build's
 * unless {@code cp} names another checkout whose bench was packaged), whether to time a restore,
 * whether to profile the processor's windows ({@link WindowProfile}), and processor properties.
 */
record BenchSetting(
    String label,
    String classPath,
    boolean restore,
    boolean profile,
    Map<String, String> processor) {
  static BenchSetting parse(String text) {
    String label = text;
    String classPath = System.getProperty("java.class.path");
    boolean restore = false;
    boolean profile = false;
    Map<String, String> processor = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String[] kv = part.split("=", 2);
      switch (kv[0]) {
        case "label" -> label = kv[1];
        case "cp" -> {
          Path root = Path.of(kv[1]).toAbsolutePath();
          classPath =
              root.resolve("bench/target/docstream-bench.jar")
                  + ":"
                  + root.resolve("bench/target/lib/*");
        }
        case "restore" -> restore = Boolean.parseBoolean(kv[1]);
        case "profile" -> profile = Boolean.parseBoolean(kv[1]);
        default -> processor.put(kv[0], kv[1]);
      }
    }
    return new BenchSetting(label, classPath, restore, profile, processor);
  }
}
