package io.docstream.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.broker.SharedBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every scenario file against a real Kafka broker (its own JVM) and processors running the same
 * topology: one processor per distinct {@code config}, the files of a config running side by side.
 * One test per file reports that file's result.
 */
class ScenariosIntegrationTest {
  private static final String TARGET = "broker";
  private static final Logger LOG = LoggerFactory.getLogger(ScenariosIntegrationTest.class);

  @TempDir static Path dir;

  private static String bootstrapServers;
  private static final List<BrokerTarget> targets = new ArrayList<>();
  private static final Map<String, CompletableFuture<Void>> runs = new LinkedHashMap<>();
  private static ExecutorService threads;
  private static List<Scenario> scenarios;

  @BeforeAll
  static void runEveryFileOnABroker() {
    scenarios = ScenarioDirectory.selected();
    assertThat(Isolation.violations(scenarios)).isEmpty();
    long started = System.nanoTime();
    bootstrapServers = SharedBroker.bootstrapServers();
    LOG.info("broker up in {} ms", millisSince(started));
    threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "scenario");
              t.setDaemon(true);
              return t;
            });
    String run = UUID.randomUUID().toString().substring(0, 8);
    int n = 0;
    List<CompletableFuture<Void>> untimed = new ArrayList<>();
    Map<CompletableFuture<BrokerTarget>, List<Scenario>> timed = new LinkedHashMap<>();
    for (Map.Entry<Map<String, String>, List<Scenario>> group : byConfig(scenarios).entrySet()) {
      String prefix = "scn-" + run + "-" + n++;
      CompletableFuture<BrokerTarget> target =
          CompletableFuture.supplyAsync(() -> start(prefix, group.getKey()), threads);
      if (group.getValue().stream().anyMatch(ScenariosIntegrationTest::letsTimePass)) {
        timed.put(target, group.getValue());
      } else {
        untimed.addAll(runAll(target, group.getValue()));
      }
    }
    // Files that let time pass race their timers against their records; they run once the
    // others are done, so that the machine is as quiet as it gets.
    CompletableFuture<Void> othersDone =
        CompletableFuture.allOf(untimed.toArray(CompletableFuture[]::new))
            .handle((ok, failed) -> null);
    timed.forEach((target, files) -> runAll(target.thenCombine(othersDone, (t, x) -> t), files));
  }

  private static boolean letsTimePass(Scenario scenario) {
    return scenario.steps().stream().anyMatch(Step.Advance.class::isInstance);
  }

  private static List<CompletableFuture<Void>> runAll(
      CompletableFuture<BrokerTarget> target, List<Scenario> files) {
    CompletableFuture<BrokerTarget> started =
        target.thenApplyAsync(
            t -> {
              t.startClock();
              return t;
            },
            threads);
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (Scenario s : files) {
      CompletableFuture<Void> result =
          started.thenAcceptAsync(t -> ScenarioRunner.run(s, t), threads);
      runs.put(s.name(), result);
      done.add(result);
    }
    return done;
  }

  /** The files to run, by their config: each config gets one processor. */
  private static Map<Map<String, String>, List<Scenario>> byConfig(List<Scenario> scenarios) {
    Map<Map<String, String>, List<Scenario>> groups = new LinkedHashMap<>();
    for (Scenario s : scenarios) {
      if (s.knownBugOn(TARGET).isEmpty()) {
        groups.computeIfAbsent(s.config(), c -> new ArrayList<>()).add(s);
      }
    }
    return groups;
  }

  private static BrokerTarget start(String prefix, Map<String, String> config) {
    long started = System.nanoTime();
    try {
      BrokerTarget target =
          BrokerTarget.start(bootstrapServers, config, prefix, dir.resolve(prefix));
      synchronized (targets) {
        targets.add(target);
      }
      LOG.info("processor {} for {} running after {} ms", prefix, config, millisSince(started));
      return target;
    } catch (Exception e) {
      throw new CompletionException("cannot start a processor with " + config, e);
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @TestFactory
  Stream<DynamicTest> everyScenarioOnARealBroker() {
    return scenarios.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> result(s)));
  }

  private static void result(Scenario scenario) throws Throwable {
    Optional<String> knownBug = scenario.knownBugOn(TARGET);
    Assumptions.assumeTrue(knownBug.isEmpty(), () -> "known bug: " + knownBug.orElseThrow());
    try {
      runs.get(scenario.name()).join();
    } catch (CompletionException e) {
      throw e.getCause();
    }
  }

  @AfterAll
  static void stopEverything() {
    synchronized (targets) {
      targets.forEach(BrokerTarget::close);
    }
    if (threads != null) {
      threads.shutdownNow();
    }
  }
}
