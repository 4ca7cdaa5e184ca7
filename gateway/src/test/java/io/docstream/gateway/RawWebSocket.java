package io.docstream.gateway;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain {@link Socket}, upgraded by hand, that reads only when asked: a
 * test can stop reading entirely, so that TCP back-pressure reaches the gateway (which {@link
 * WsClient} cannot do: java.net.http keeps reading into its own buffers).
 */
final class RawWebSocket implements AutoCloseable {
  static final int TEXT = 0x1;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  private static final int FRAME_READ_TIMEOUT_MILLIS = 10_000;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private long bytesRead;

  /** One frame from the server (servers do not mask). */
  record Frame(int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame, or 1005 when it has none. */
    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }
  }

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * Connects to {@code 127.0.0.1:port/ws} with a receive buffer of {@code receiveBufferBytes} (set
   * before connecting, so the TCP window stays that small) and completes the upgrade.
   */
  static RawWebSocket connect(int port, String token, int receiveBufferBytes) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBufferBytes);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    socket.setSoTimeout(FRAME_READ_TIMEOUT_MILLIS);
    RawWebSocket ws = new RawWebSocket(socket);
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    String request =
        "GET /ws?token="
            + token
            + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + port
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(key)
            + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
    ws.out.flush();
    String response = ws.readHead();
    if (!response.startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("upgrade refused: " + response);
    }
    return ws;
  }

  /** The whole answer to an upgrade request the gateway refuses (head and body, to the end). */
  static String refusedUpgrade(int port, String token) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(FRAME_READ_TIMEOUT_MILLIS);
      String request =
          "GET /ws"
              + (token == null ? "" : "?token=" + token)
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + port
              + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The response head, read byte by byte so that nothing after it is consumed. */
  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed during the upgrade: " + head);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    bytesRead += head.size();
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** Sends one masked text frame, as a client must. */
  void sendText(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    ByteBuffer frame = ByteBuffer.allocate(14 + payload.length);
    frame.put((byte) (0x80 | TEXT));
    if (payload.length < 126) {
      frame.put((byte) (0x80 | payload.length));
    } else if (payload.length < 65_536) {
      frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
    } else {
      frame.put((byte) (0x80 | 127)).putLong(payload.length);
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.put(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.put((byte) (payload[i] ^ mask[i % 4]));
    }
    out.write(frame.array(), 0, frame.position());
    out.flush();
  }

  /** Sends one masked text frame of {@code payloadBytes} spaces, streamed in 64 KiB writes. */
  void sendLargeText(int payloadBytes) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(14);
    header.put((byte) (0x80 | TEXT)).put((byte) (0x80 | 127)).putLong(payloadBytes);
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    header.put(mask);
    out.write(header.array(), 0, header.position());
    byte[] chunk = new byte[64 * 1024];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) (' ' ^ mask[i % 4]);
    }
    for (int sent = 0; sent < payloadBytes; sent += chunk.length) {
      out.write(chunk, 0, Math.min(chunk.length, payloadBytes - sent));
    }
    out.flush();
  }

  /**
   * The next frame, or null at the end of the stream.
   *
   * @throws java.net.SocketTimeoutException when none arrives within {@code timeoutMillis}
   */
  Frame read(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    int b0 = in.read();
    if (b0 < 0) {
      return null;
    }
    socket.setSoTimeout(FRAME_READ_TIMEOUT_MILLIS); // the rest of a frame that has begun
    if ((b0 & 0x80) == 0) {
      throw new IOException("fragmented frames are not expected from the gateway");
    }
    int b1 = in.readUnsignedByte();
    if ((b1 & 0x80) != 0) {
      throw new IOException("a server frame must not be masked");
    }
    long length = b1 & 0x7f;
    int header = 2;
    if (length == 126) {
      length = in.readUnsignedShort();
      header += 2;
    } else if (length == 127) {
      length = in.readLong();
      header += 8;
    }
    if (length > Integer.MAX_VALUE) {
      throw new IOException("frame of " + length + " bytes");
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    bytesRead += header + length;
    return new Frame(b0 & 0x0f, payload);
  }

  /** Bytes read from the socket so far (upgrade response and frames). */
  long bytesRead() {
    return bytesRead;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
