package io.docstream.topology;

import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.DocstreamException;
import java.util.HashSet;
import java.util.Set;

/**
 * Records of the commands topic that an operator asked to skip (setting {@code skip.records}, e.g.
 * {@code 3@1042,0@7}): each is answered with a RECORD_SKIPPED rejection instead of being processed.
 */
public record SkipRecords(Set<Position> positions) {
  public static final SkipRecords NONE = new SkipRecords(Set.of());

  public record Position(int partition, long offset) {}

  public SkipRecords {
    positions = Set.copyOf(positions);
  }

  /**
   * Parses {@code <partition>@<offset>[,<partition>@<offset>...]}.
   *
   * @throws DocstreamException with CONFIG_INVALID naming {@code key} on a bad value
   */
  public static SkipRecords parse(String key, String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    Set<Position> positions = new HashSet<>();
    for (String item : value.split(",", -1)) {
      String[] parts = item.trim().split("@", -1);
      try {
        if (parts.length == 2) {
          int partition = Integer.parseInt(parts[0]);
          long offset = Long.parseLong(parts[1]);
          if (partition >= 0 && offset >= 0) {
            positions.add(new Position(partition, offset));
            continue;
          }
        }
      } catch (NumberFormatException e) {
        // reported below with the expected form
      }
      throw ConfigReader.invalid(
          key,
          "must be <partition>@<offset>[,<partition>@<offset>...] with numbers >= 0, got '"
              + item.trim()
              + "'");
    }
    return new SkipRecords(positions);
  }

  public boolean contains(int partition, long offset) {
    return !positions.isEmpty() && positions.contains(new Position(partition, offset));
  }
}
