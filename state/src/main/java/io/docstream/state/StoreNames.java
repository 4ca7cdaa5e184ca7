package io.docstream.state;

/** The names of docstream's state stores (each is RocksDB-backed and changelogged). */
public final class StoreNames {
  /** Path-keyed document entries: one entry per object node and per leaf value. */
  public static final String DOCS = "docstream-docs";

  /** Per document: seq, stored bytes and a write-in-progress flag. */
  public static final String META = "docstream-meta";

  /** Per message: a slot locating its delta on the deltas topic and naming its id's scope. */
  public static final String HISTORY = "docstream-history";

  /** Per document: message id to the seq it was applied at. */
  public static final String DEDUPE = "docstream-dedupe";

  /** Pending timers by name and by fire time. */
  public static final String TIMERS = "docstream-timers";

  private StoreNames() {}
}
