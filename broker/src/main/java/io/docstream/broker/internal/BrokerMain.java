package io.docstream.broker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;

/**
 * The broker JVM's entry point: Kafka's {@code kafka.Kafka} plus a guard against orphans. The
 * parent keeps the child's stdin open; when the parent dies, even by {@code kill -9}, the pipe
 * closes and this JVM exits, which runs Kafka's own shutdown hook.
 */
public final class BrokerMain {
  private BrokerMain() {}

  /**
   * Starts Kafka with {@code args} (the path of {@code server.properties}).
   *
   * @throws Throwable whatever Kafka's main throws
   */
  public static void main(String[] args) throws Throwable {
    Thread guard = new Thread(BrokerMain::exitWhenParentIsGone, "docstream-parent-guard");
    guard.setDaemon(true);
    guard.start();
    try {
      Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void exitWhenParentIsGone() {
    InputStream in = System.in;
    try {
      while (in.read() != -1) {
        // The parent never writes; reading only waits for end of stream.
      }
    } catch (IOException e) {
      // A broken pipe means the same as end of stream: the parent is gone.
    }
    // This is a process entry point, not library code: exiting is its job.
    System.exit(1);
  }
}
