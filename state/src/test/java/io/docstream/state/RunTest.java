package io.docstream.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.state.DeltaHistory.Cursor;
import io.docstream.state.DeltaHistory.Run;
import io.docstream.state.DeltaHistory.Slot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run grows in place, and no version of it, nor the bytes the store holds, ever changes. */
class RunTest {
  @Test
  void shouldKeepWhatEveryVersionHeldWhileItGrowsInPlace() {
    List<Run> versions = new ArrayList<>(List.of(Run.of(10, slot(1))));
    for (int i = 2; i <= DeltaHistory.MAX_RUN_SLOTS; i++) {
      versions.add(versions.get(versions.size() - 1).append(slot(i)));
    }

    for (Run version : versions) {
      assertThat(clocks(version))
          .as("the slots of the version of %d slots", version.count())
          .isEqualTo(clocksUpTo(version.count()));
    }
    long arrays = versions.stream().map(Run::bytes).distinct().count();
    assertThat(arrays)
        .as("arrays for %d appends: grown by doubling, not copied per append", versions.size())
        .isLessThan(versions.size() / 4);
  }

  @Test
  void shouldNotOverwriteALongerVersionWhenAnOlderOneIsAppended() {
    Run older = Run.of(1, slot(1)).append(slot(2));
    Run longer = older.append(slot(3));
    Run branch = older.append(slot(300));

    assertThat(clocks(longer)).containsExactly(1L, 2L, 3L);
    assertThat(clocks(branch)).containsExactly(1L, 2L, 300L);
    assertThat(clocks(older)).containsExactly(1L, 2L);
  }

  @Test
  void shouldNeverWriteTheBytesTheStoreHolds() {
    Run run = Run.of(5, slot(1));
    for (int i = 2; i <= 5; i++) {
      run = run.append(slot(i));
    }
    byte[] stored = run.stored();
    byte[] before = stored.clone();

    Run next = run.append(slot(6)).append(slot(7));

    assertThat(stored).as("what the store holds after two more appends").isEqualTo(before);
    assertThat(clocks(Run.decode(5, stored))).isEqualTo(clocksUpTo(5));
    assertThat(clocks(next)).isEqualTo(clocksUpTo(7));
  }

  private static Slot slot(long clock) {
    return new Slot(clock, clock - 1, 2, List.of(("id-" + clock).getBytes(UTF_8)));
  }

  private static List<Long> clocks(Run run) {
    List<Long> out = new ArrayList<>();
    for (Cursor c = new Cursor(run, run.first(), 0); c != null; c = c.at(c.seq() + 1)) {
      out.add(c.slot().clockMillis());
    }
    return out;
  }

  private static List<Long> clocksUpTo(int count) {
    List<Long> out = new ArrayList<>();
    for (long clock = 1; clock <= count; clock++) {
      out.add(clock);
    }
    return out;
  }
}
