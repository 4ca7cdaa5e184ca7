package io.docstream.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A child JVM outlives a terminal's Ctrl-C (its parent stops it) but not its parent's stop. */
class OrphanGuardIntegrationTest {
  private Process child;

  @AfterEach
  void killChild() {
    if (child != null) {
      child.destroyForcibly();
    }
  }

  @Test
  void shouldIgnoreSigintAndStopOnSigterm() throws Exception {
    // Given a child JVM started through OrphanGuard, running a main that waits
    child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                OrphanGuard.class.getName(),
                Sleeper.class.getName())
            .redirectErrorStream(true)
            .start();
    assertThat(new String(child.getInputStream().readNBytes(Sleeper.READY.length())))
        .isEqualTo(Sleeper.READY);

    // When it gets SIGINT, as every process of a terminal's foreground group does on Ctrl-C
    signal("INT");

    // Then it still runs
    assertThat(child.waitFor(2, TimeUnit.SECONDS)).isFalse();

    // And SIGTERM, its parent's stop, ends it
    child.destroy();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  private void signal(String name) throws Exception {
    Process kill =
        new ProcessBuilder(List.of("kill", "-" + name, Long.toString(child.pid()))).start();
    assertThat(kill.waitFor()).isZero();
  }

  /** A child's main: says it is ready, then waits to be stopped. */
  public static final class Sleeper {
    static final String READY = "ready\n";

    public static void main(String[] args) throws InterruptedException {
      System.out.print(READY);
      System.out.flush();
      Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    }
  }
}
