package io.docstream.scenarios;

/** One step of a scenario's {@code given} or {@code when}. */
public sealed interface Step permits Step.Send, Step.Advance {

  /**
   * Sends one record to the commands topic.
   *
   * @param input the record
   * @param rejectedCode in {@code given}: the code the record is expected to be rejected with, or
   *     null when it must not be rejected; always null in {@code when}
   */
  record Send(Input input, Integer rejectedCode) implements Step {}

  /**
   * Lets time pass: the processor's wall clock moves on by {@code millis}, so due timers fire.
   *
   * @param millis positive
   */
  record Advance(long millis) implements Step {}
}
