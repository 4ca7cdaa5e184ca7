package io.docstream.spaces;

import io.docstream.serdes.DocKey;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.spaces.examples.CardsSpace;
import io.docstream.spaces.examples.ChatSpace;
import io.docstream.spaces.examples.TodoSpace;
import io.docstream.spaces.internal.JsonPatchSpace;
import io.docstream.spaces.internal.JsonSpace;
import io.docstream.spaces.internal.LogicLoader;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The spaces a processor serves, built once at start from properties:
 *
 * <pre>
 * spaces.&lt;name&gt;.logic=json | jsonpatch | chat | todo | cards | com.example.MyLogic
 * spaces.&lt;name&gt;.&lt;option&gt;=value      passed to the logic's configure as &lt;option&gt;=value
 * </pre>
 *
 * <p>Without any such property the registry holds the default spaces {@code json}, {@code
 * jsonpatch}, {@code chat}, {@code todo} and {@code cards}, each with the logic of the same name.
 * Configured spaces add to or override the defaults; a default space may be given options without
 * naming its logic again ({@code spaces.chat.history=20}). Properties not starting with {@code
 * spaces.} are ignored, so the whole processor configuration may be passed in.
 *
 * <p>A bad configuration fails at start: a class that cannot be loaded, lacks a public no-argument
 * constructor or does not implement {@link SpaceLogic} with {@link ErrorCode#SPACE_CLASS_INVALID};
 * a malformed key, a missing logic or an option the logic refuses with {@link
 * ErrorCode#CONFIG_INVALID} (or the code the logic chose). Messages name the offending key.
 */
public final class SpaceRegistry {
  /** The prefix of every space property. */
  public static final String PREFIX = "spaces.";

  /** The option that names a space's logic. */
  public static final String LOGIC = "logic";

  private static final Map<String, Supplier<SpaceLogic>> BUILT_INS =
      Map.of(
          "json", JsonSpace::new,
          "jsonpatch", JsonPatchSpace::new,
          "chat", ChatSpace::new,
          "todo", TodoSpace::new,
          "cards", CardsSpace::new);

  private final SortedMap<String, Space> spaces;

  private SpaceRegistry(Map<String, Space> spaces) {
    this.spaces = Collections.unmodifiableSortedMap(new TreeMap<>(spaces));
  }

  /** The default spaces, unconfigured. */
  public static SpaceRegistry defaults() {
    return fromProperties(Map.of());
  }

  /**
   * Builds the registry from {@code spaces.*} properties.
   *
   * @throws DocstreamException with {@link ErrorCode#SPACE_CLASS_INVALID} or {@link
   *     ErrorCode#CONFIG_INVALID}, naming the property key
   */
  public static SpaceRegistry fromProperties(Map<String, String> properties) {
    Map<String, Map<String, String>> options = new TreeMap<>();
    for (String name : BUILT_INS.keySet()) {
      options.put(name, new TreeMap<>(Map.of(LOGIC, name)));
    }
    for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(PREFIX)) {
        continue;
      }
      String rest = key.substring(PREFIX.length());
      int dot = rest.indexOf('.');
      if (dot <= 0 || dot == rest.length() - 1) {
        throw invalid(key, "expected " + PREFIX + "<space>.<option>");
      }
      String name = rest.substring(0, dot);
      if (!isSpaceName(name)) {
        throw invalid(key, "'" + name + "' is not a valid space name ([a-z][a-z0-9_-]{0,63})");
      }
      if (e.getValue() == null) {
        throw invalid(key, "no value");
      }
      options
          .computeIfAbsent(name, n -> new TreeMap<>())
          .put(rest.substring(dot + 1), e.getValue());
    }
    Map<String, Space> spaces = new TreeMap<>();
    for (Map.Entry<String, Map<String, String>> e : options.entrySet()) {
      spaces.put(e.getKey(), build(e.getKey(), e.getValue()));
    }
    return new SpaceRegistry(spaces);
  }

  /** The space of that name, if configured. */
  public Optional<Space> find(String space) {
    return Optional.ofNullable(spaces.get(space));
  }

  /** Every configured space, in name order. */
  public Collection<Space> spaces() {
    return spaces.values();
  }

  private static Space build(String name, Map<String, String> options) {
    String logicKey = PREFIX + name + "." + LOGIC;
    String logicName = options.remove(LOGIC);
    if (logicName == null || logicName.isBlank()) {
      throw invalid(
          logicKey,
          "missing: name a built-in logic " + new TreeSet<>(BUILT_INS.keySet()) + " or a class");
    }
    logicName = logicName.strip();
    Supplier<SpaceLogic> builtIn = BUILT_INS.get(logicName);
    SpaceLogic logic =
        builtIn != null ? builtIn.get() : LogicLoader.instantiate(logicKey, logicName);
    try {
      logic.configure(Map.copyOf(options));
    } catch (DocstreamException ex) {
      throw new DocstreamException(ex.code(), PREFIX + name + ".*: " + ex.getMessage(), ex);
    } catch (RuntimeException ex) {
      throw new DocstreamException(
          ErrorCode.CONFIG_INVALID,
          PREFIX + name + ".*: " + logicName + " refused its options: " + ex,
          ex);
    }
    return new Space(name, logic);
  }

  private static boolean isSpaceName(String name) {
    try {
      new DocKey(name, "x"); // one rule for space names: the document key's
      return true;
    } catch (DocstreamException e) {
      return false;
    }
  }

  private static DocstreamException invalid(String key, String reason) {
    return new DocstreamException(ErrorCode.CONFIG_INVALID, key + ": " + reason);
  }

  @Override
  public String toString() {
    return "SpaceRegistry" + spaces.keySet();
  }
}
