package io.docstream.topology;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.Echo;
import io.docstream.serdes.Json;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsException;

/**
 * What {@code /healthz} answers. A stream thread that dies is replaced; one that dies again and
 * again (a crash loop) leaves the application RUNNING while a partition stalls. So the instance is
 * unhealthy while at least {@value #FAILURES_FOR_A_LOOP} thread failures fall within the window,
 * and healthy again once a whole window passed without one.
 */
public final class StreamHealth {
  static final int FAILURES_FOR_A_LOOP = 2;
  private static final int MAX_ERROR_CHARS = 300;

  private final long windowMillis;
  private final LongSupplier clockMillis;
  private final Deque<Failure> failures = new ArrayDeque<>();

  /**
   * One stream-thread failure: when, which thread, which task (the one the error names, else the
   * thread's active tasks, comma-separated) and the error.
   */
  public record Failure(long atMillis, String thread, String task, String error) {}

  public StreamHealth(long windowMillis, LongSupplier clockMillis) {
    this.windowMillis = windowMillis;
    this.clockMillis = clockMillis;
  }

  /**
   * Records that {@code thread} died of {@code error}; {@code threadTasks} are its active tasks,
   * named when the error does not say which task failed (an {@link Error} does not).
   */
  public synchronized void failed(String thread, String threadTasks, Throwable error) {
    String task = taskOf(error);
    failures.addLast(
        new Failure(
            clockMillis.getAsLong(),
            thread,
            task == null ? threadTasks : task,
            Echo.cut(String.valueOf(rootCause(error)), MAX_ERROR_CHARS)));
    forgetOld();
  }

  /** {@code {"ok":..,"state":..}}, with {@code "failures"} while threads are crash-looping. */
  public synchronized ObjectNode status(KafkaStreams.State state) {
    forgetOld();
    boolean looping = failures.size() >= FAILURES_FOR_A_LOOP;
    ObjectNode out = Json.object();
    out.put("ok", state == KafkaStreams.State.RUNNING && !looping);
    out.put("state", state.name());
    if (looping) {
      out.put(
          "error",
          "stream threads failed " + failures.size() + " times in " + windowMillis + " ms");
      ArrayNode list = out.putArray("failures");
      for (Failure f : failures) {
        list.addObject()
            .put("atMillis", f.atMillis())
            .put("thread", f.thread())
            .put("task", f.task())
            .put("error", f.error());
      }
    }
    return out;
  }

  private void forgetOld() {
    long now = clockMillis.getAsLong();
    while (!failures.isEmpty() && now - failures.peekFirst().atMillis() >= windowMillis) {
      failures.removeFirst();
    }
  }

  private static String taskOf(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof StreamsException s && s.taskId().isPresent()) {
        return s.taskId().get().toString();
      }
    }
    return null;
  }

  private static Throwable rootCause(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
