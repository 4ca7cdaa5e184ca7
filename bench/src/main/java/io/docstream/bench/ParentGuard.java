package io.docstream.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Entry point of the JVMs the bench starts: runs the main class named by the first argument with
 * the rest, and exits when the bench JVM is gone (its end of our stdin pipe closes, even after
 * {@code kill -9}), so no processor outlives an interrupted bench on a shared machine.
 */
public final class ParentGuard {
  private ParentGuard() {}

  public static void main(String[] args) throws Exception {
    Thread guard = new Thread(ParentGuard::exitWhenParentIsGone, "parent-guard");
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
