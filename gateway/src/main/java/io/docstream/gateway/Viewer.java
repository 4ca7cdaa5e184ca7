package io.docstream.gateway;

/**
 * Who is on the other end of a connection: the subject of a verified JWT, or anonymous.
 *
 * @param id the viewer id (the token's subject), or null when anonymous
 */
public record Viewer(String id) {
  public static final Viewer ANONYMOUS = new Viewer(null);

  public static Viewer of(String id) {
    return new Viewer(id);
  }

  public boolean anonymous() {
    return id == null;
  }

  @Override
  public String toString() {
    return anonymous() ? "anonymous" : id;
  }
}
