package io.docstream.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports for the JVMs the bench starts. */
final class Ports {
  private Ports() {}

  /** A port free on 127.0.0.1 a moment ago. */
  static int free() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
