package io.docstream.scenarios;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One scenario file: given prior messages, when new messages (and elapsed time), then the expected
 * deltas, rejections and final documents. {@link ScenarioFiles} reads them; {@link ScenarioRunner}
 * runs one on a {@link ScenarioTarget}. The format is described in the module's README.md.
 *
 * @param name the file name without {@code .yaml}; it says the expected outcome
 * @param description what the scenario shows, in a sentence or two
 * @param knownBug null, or the bug in another module that makes this scenario fail for now
 * @param config processor settings (as in the processor's properties file) on top of the defaults
 * @param given steps whose outputs are not checked, except that they must not be rejections unless
 *     the step says so
 * @param when the steps whose outputs {@code then} describes
 * @param then the expected outputs of {@code when} and the final documents
 */
public record Scenario(
    String name,
    String description,
    KnownBug knownBug,
    Map<String, String> config,
    List<Step> given,
    List<Step> when,
    Expectations then) {

  /**
   * Scenario time starts here on every target. Timestamps are never rewritten: the cards space
   * seeds its shuffle from the document key and the message timestamp, so the same deal on every
   * target needs the same keys and the same times.
   */
  public static final long CLOCK_START_MILLIS = 1_700_000_000_000L;

  /**
   * Processor settings under every scenario's {@code config}. Timers are checked every 100 ms, so
   * that a timer fires within 100 ms of falling due on a broker as on the test driver.
   */
  public static final Map<String, String> DEFAULT_SETTINGS = Map.of("timer.interval.ms", "100");

  public Scenario {
    config = Collections.unmodifiableMap(new TreeMap<>(config));
    given = List.copyOf(given);
    when = List.copyOf(when);
  }

  /** The names of the targets, as {@code known_bug} may name them. */
  public static final Set<String> TARGETS = Set.of("driver", "broker");

  /**
   * A bug in another module that this scenario shows with its correct expectation.
   *
   * @param reason what is wrong
   * @param targets where it shows ({@link #TARGETS}); empty for every target
   */
  public record KnownBug(String reason, Set<String> targets) {
    public KnownBug {
      targets = Set.copyOf(targets);
    }
  }

  /** The reason this scenario is expected to fail on {@code target}, if it is. */
  public Optional<String> knownBugOn(String target) {
    if (knownBug == null
        || !(knownBug.targets().isEmpty() || knownBug.targets().contains(target))) {
      return Optional.empty();
    }
    return Optional.of(knownBug.reason());
  }

  /** Every step, given then when. */
  public List<Step> steps() {
    List<Step> all = new ArrayList<>(given);
    all.addAll(when);
    return all;
  }

  /**
   * The record keys this scenario's outputs can carry: every document and record key its steps and
   * expectations name. On a shared topic, outputs under these keys belong to this scenario.
   */
  public Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    for (Step step : steps()) {
      if (step instanceof Step.Send send) {
        if (send.input().key() != null) {
          keys.add(send.input().key());
        }
        if (send.input().doc() != null) {
          keys.add(send.input().doc());
        }
      }
    }
    keys.addAll(then.deltas().keySet());
    keys.addAll(then.documents().keySet());
    then.rejections().stream()
        .map(Expectations.Rejection::key)
        .filter(Objects::nonNull)
        .forEach(keys::add);
    return keys;
  }

  /** The message ids of records sent without a key (their rejections carry no key). */
  public Set<String> unkeyedIds() {
    Set<String> ids = new TreeSet<>();
    for (Step step : steps()) {
      if (step instanceof Step.Send send
          && send.input().key() == null
          && send.input().id() != null) {
        ids.add(send.input().id());
      }
    }
    return ids;
  }

  @Override
  public String toString() {
    return name;
  }
}
