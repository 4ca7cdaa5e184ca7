package io.docstream.gateway;

import java.util.List;
import java.util.Map;

/**
 * What the gateway lets viewers do with the documents of one space, and what it hides from them.
 *
 * <p>Paths are JSON Pointers whose segments may be {@code *} (any member) or {@code {viewer}} (the
 * member named like the viewer's id). A path in {@code hidden} is never sent to any client; a path
 * in {@code owned} must contain {@code {viewer}} and is sent only to the viewer it names. Rules
 * apply to every snapshot and every delta of every connection.
 *
 * <p>A readers rule maps a field's JSON Pointer to the pointer of a list in the same document (an
 * object whose member names are viewer ids, or an array of viewer-id strings): the field is sent
 * only to the viewers listed there now. A viewer dropped from the list gets {@code null} for the
 * field in its next delta; a viewer added gets the field's whole value.
 *
 * @param space the space name
 * @param read who may subscribe
 * @param send who may send messages
 * @param hidden paths no client sees
 * @param owned paths only the viewer they name sees
 * @param readers fields only listed viewers see, each with the pointer of its list
 */
public record SpacePolicy(
    String space,
    Access read,
    Access send,
    List<String> hidden,
    List<String> owned,
    Map<String, String> readers) {

  /** Who may do something. */
  public enum Access {
    /** Any connection, anonymous ones included. */
    ANYONE,
    /** Connections with a verified token. */
    AUTHENTICATED,
    /** No client. */
    NOBODY;

    public boolean allows(Viewer viewer) {
      return this == ANYONE || (this == AUTHENTICATED && !viewer.anonymous());
    }
  }

  public SpacePolicy {
    hidden = List.copyOf(hidden);
    owned = List.copyOf(owned);
    readers = Map.copyOf(readers);
  }

  /** Authenticated viewers read and send; nothing hidden. */
  public static SpacePolicy open(String space) {
    return new SpacePolicy(
        space, Access.AUTHENTICATED, Access.AUTHENTICATED, List.of(), List.of(), Map.of());
  }

  public SpacePolicy withRead(Access access) {
    return new SpacePolicy(space, access, send, hidden, owned, readers);
  }

  public SpacePolicy withSend(Access access) {
    return new SpacePolicy(space, read, access, hidden, owned, readers);
  }

  public boolean mayRead(Viewer viewer) {
    return read.allows(viewer);
  }

  public boolean maySend(Viewer viewer) {
    return send.allows(viewer);
  }
}
