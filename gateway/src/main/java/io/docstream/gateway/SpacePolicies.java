package io.docstream.gateway;

import io.docstream.gateway.SpacePolicy.Access;
import io.docstream.gateway.internal.ViewFilter;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@link SpacePolicy} of every space, from properties:
 *
 * <pre>
 * gateway.space.&lt;name&gt;.read=anyone | authenticated | nobody     (default authenticated)
 * gateway.space.&lt;name&gt;.send=anyone | authenticated | nobody     (default authenticated)
 * gateway.space.&lt;name&gt;.hidden=/deck,/secrets                    (default none)
 * gateway.space.&lt;name&gt;.owned=/hands/{viewer}                     (default none)
 * gateway.space.&lt;name&gt;.readers./messages=/members               (any number; default none)
 * </pre>
 *
 * <p>The example space {@code cards} hides {@code /deck} and owns {@code /hands/{viewer}} unless
 * configured otherwise. A space with no settings gets {@link SpacePolicy#open}.
 */
public final class SpacePolicies {
  public static final String PREFIX = "gateway.space.";
  private static final Set<String> OPTIONS = Set.of("read", "send", "hidden", "owned");
  private static final String READERS = "readers.";

  private final Map<String, SpacePolicy> policies;
  private final Map<String, ViewFilter> views = new java.util.concurrent.ConcurrentHashMap<>();

  private SpacePolicies(Map<String, SpacePolicy> policies) {
    this.policies = Map.copyOf(policies);
  }

  public static SpacePolicies defaults() {
    return fromProperties(Map.of());
  }

  public static SpacePolicies of(SpacePolicy... policies) {
    Map<String, SpacePolicy> map = new TreeMap<>(defaults().policies);
    for (SpacePolicy p : policies) {
      ViewFilter.compile(p);
      map.put(p.space(), p);
    }
    return new SpacePolicies(map);
  }

  /**
   * Reads the {@code gateway.space.*} entries of {@code properties}; others are ignored.
   *
   * @throws DocstreamException with {@link ErrorCode#CONFIG_INVALID} naming the bad key
   */
  public static SpacePolicies fromProperties(Map<String, String> properties) {
    Map<String, Map<String, String>> bySpace = new TreeMap<>();
    bySpace.put("cards", new TreeMap<>(Map.of("hidden", "/deck", "owned", "/hands/{viewer}")));
    new TreeMap<>(properties)
        .forEach(
            (key, value) -> {
              if (!key.startsWith(PREFIX)) {
                return;
              }
              String rest = key.substring(PREFIX.length());
              int dot = rest.indexOf('.');
              String option = dot < 0 ? "" : rest.substring(dot + 1);
              if (dot <= 0 || !(OPTIONS.contains(option) || option.startsWith(READERS + "/"))) {
                throw invalid(
                    key,
                    "is not one of "
                        + PREFIX
                        + "<space>.{read,send,hidden,owned} or "
                        + PREFIX
                        + "<space>.readers.<pointer>");
              }
              String space = rest.substring(0, dot);
              try {
                new DocKey(space, "x");
              } catch (DocstreamException e) {
                throw invalid(key, "'" + space + "' is not a valid space name");
              }
              bySpace.computeIfAbsent(space, s -> new TreeMap<>()).put(option, value.strip());
            });
    Map<String, SpacePolicy> policies = new TreeMap<>();
    bySpace.forEach((space, options) -> policies.put(space, build(space, options)));
    return new SpacePolicies(policies);
  }

  private static SpacePolicy build(String space, Map<String, String> options) {
    String key = PREFIX + space + ".";
    SpacePolicy policy =
        new SpacePolicy(
            space,
            access(key + "read", options.get("read")),
            access(key + "send", options.get("send")),
            paths(options.get("hidden")),
            paths(options.get("owned")),
            readers(options));
    try {
      ViewFilter.compile(policy);
    } catch (DocstreamException e) {
      throw invalid(key + "hidden/owned/readers", e.getMessage());
    }
    return policy;
  }

  private static Access access(String key, String value) {
    if (value == null || value.isEmpty()) {
      return Access.AUTHENTICATED;
    }
    try {
      return Access.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(key, "must be one of anyone, authenticated, nobody; got '" + value + "'");
    }
  }

  private static List<String> paths(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static Map<String, String> readers(Map<String, String> options) {
    Map<String, String> readers = new TreeMap<>();
    options.forEach(
        (option, list) -> {
          if (option.startsWith(READERS)) {
            readers.put(option.substring(READERS.length()), list);
          }
        });
    return readers;
  }

  /** True when some space lets anonymous viewers read or send: only then may one connect. */
  public boolean anonymousAllowed() {
    return policies.values().stream()
        .anyMatch(p -> p.mayRead(Viewer.ANONYMOUS) || p.maySend(Viewer.ANONYMOUS));
  }

  /** The policy of {@code space}: configured, or {@link SpacePolicy#open}. */
  public SpacePolicy policy(String space) {
    SpacePolicy p = policies.get(space);
    return p != null ? p : SpacePolicy.open(space);
  }

  /** The compiled view rules of {@code space}. */
  public ViewFilter view(String space) {
    return views.computeIfAbsent(space, s -> ViewFilter.compile(policy(s)));
  }

  private static DocstreamException invalid(String key, String reason) {
    return new DocstreamException(ErrorCode.CONFIG_INVALID, key + " " + reason);
  }
}
