package io.docstream.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Entry point of the JVMs the integration tests start: runs the main class named by the first
 * argument with the rest, and exits when the parent test JVM is gone. The parent keeps this
 * process's stdin open, so the pipe closes when it dies, even by {@code kill -9}; without this, a
 * processor whose test JVM was killed would keep running on a machine other builds share. (The
 * broker's {@code BrokerMain} guards itself the same way.)
 */
public final class OrphanGuard {
  private OrphanGuard() {}

  public static void main(String[] args) throws Exception {
    Thread guard = new Thread(OrphanGuard::exitWhenParentIsGone, "orphan-guard");
    guard.setDaemon(true);
    guard.start();
    Class.forName(args[0])
        .getMethod("main", String[].class)
        .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }

  private static void exitWhenParentIsGone() {
    InputStream in = System.in;
    try {
      while (in.read() != -1) {
        // The parent never writes; reading only waits for end of stream.
      }
    } catch (IOException e) {
      // A broken pipe means the same as end of stream.
    }
    System.exit(1);
  }
}
