package io.docstream.spaces;

import java.util.Objects;

/**
 * A configured space: the name that prefixes its document keys ({@code name/id}) and the logic,
 * already configured, that applies messages to its documents. The logic instance is shared by all
 * documents of the space and all stream threads.
 */
public record Space(String name, SpaceLogic logic) {
  public Space {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(logic, "logic");
  }
}
