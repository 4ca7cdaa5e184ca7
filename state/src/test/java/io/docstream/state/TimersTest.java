package io.docstream.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TimersTest {
  private final Timers timers = new Timers(Stores.inMemory("timers"));

  private static byte[] message(String id) {
    return ("{\"id\":\"" + id + "\",\"body\":{}}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldMarkAFiredTimerCurrentUntilItIsCancelledOrReplaced() {
    timers.schedule("cards/t", "turn", 100, message("timer:turn:100:1"));
    timers.fire(timers.due(100, 10).get(0));

    assertThat(timers.due(1000, 10)).isEmpty();
    assertThat(timers.fired("cards/t", "turn"))
        .isEqualTo(new Timers.Fired("timer:turn:100:1", true));

    timers.schedule("cards/t", "turn", 200, message("timer:turn:200:2"));
    assertThat(timers.fired("cards/t", "turn"))
        .isEqualTo(new Timers.Fired("timer:turn:100:1", false));

    timers.fire(timers.due(200, 10).get(0));
    timers.cancel("cards/t", "turn");
    assertThat(timers.fired("cards/t", "turn"))
        .isEqualTo(new Timers.Fired("timer:turn:200:2", false));

    timers.forgetFired("cards/t", "turn");
    assertThat(timers.fired("cards/t", "turn")).isNull();
  }

  @Test
  void shouldReadTheTimerNameFromATimerMessageId() {
    assertThat(Timers.nameOf("timer:turn:1700000005000:3")).isEqualTo("turn");
    assertThat(Timers.nameOf("timer:a:b:12:3")).isEqualTo("a:b");
    assertThat(Timers.nameOf("timer:x")).isNull();
    assertThat(Timers.nameOf("m-1")).isNull();
    assertThat(Timers.nameOf(null)).isNull();
  }
}
