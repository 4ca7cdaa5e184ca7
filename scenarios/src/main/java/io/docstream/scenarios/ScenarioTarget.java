package io.docstream.scenarios;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * Where scenarios run: the docstream topology on {@code TopologyTestDriver}, or a processor on a
 * real broker. Both run the same topology code; a target only moves records and time.
 */
public interface ScenarioTarget {

  /** Starts running {@code scenario}; its documents start empty. */
  Session open(Scenario scenario);

  /** One scenario's view of the target. Not thread-safe; one thread per session. */
  interface Session extends AutoCloseable {

    /**
     * Sends one record to the commands topic. Its outcome (a delta or a rejection) may reach {@link
     * #outputs()} later, but records are applied in the order they are sent.
     */
    void send(Input input);

    /** Returns once every record sent so far has its outcome in {@link #outputs()}. */
    void settle();

    /**
     * Moves the processor's wall clock on by {@code millis}, firing the timers that fall due, after
     * the records sent so far are applied.
     */
    void advance(long millis);

    /** Every output that belongs to this scenario so far, in the order they arrived. */
    List<Output> outputs();

    /**
     * The document as the processor serves it, {@code {"seq": n, "data": {...}}}, or empty when it
     * cannot be read right now (try again).
     */
    Optional<ObjectNode> document(String key);

    /**
     * Runs {@code check} until it passes. A target whose outputs arrive asynchronously retries for
     * a bounded time, then throws the last failure; a synchronous one runs it once.
     */
    void await(Runnable check);

    @Override
    void close();
  }
}
