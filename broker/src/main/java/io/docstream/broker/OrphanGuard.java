package io.docstream.broker;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Entry point of child JVMs (the broker, and processors that tests start): runs the main class
 * named by the first argument with the rest, and exits when the parent JVM is gone. The parent
 * keeps the child's stdin open, so the pipe closes when it dies, even by {@code kill -9}; an
 * orphaned broker or processor would otherwise keep running. Exiting runs the child's own shutdown
 * hooks.
 *
 * <p>A child ignores SIGINT: a terminal's Ctrl-C goes to the whole foreground process group, and
 * the parent, not the signal, stops its children, in order (a broker that stopped at once would
 * leave the processor without Kafka for its last commit, and {@code run} would start it again).
 */
public final class OrphanGuard {
  private OrphanGuard() {}

  /**
   * Runs {@code args[0]}'s main with the remaining arguments.
   *
   * @throws Throwable whatever that main throws
   */
  public static void main(String[] args) throws Throwable {
    Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
    Thread guard = new Thread(OrphanGuard::exitWhenParentIsGone, "orphan-guard");
    guard.setDaemon(true);
    guard.start();
    try {
      Class.forName(args[0])
          .getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
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
