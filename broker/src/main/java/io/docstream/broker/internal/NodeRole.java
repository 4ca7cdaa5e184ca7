package io.docstream.broker.internal;

/**
 * A broker's place in its cluster.
 *
 * @param nodeId the KRaft {@code node.id}
 * @param voters {@code controller.quorum.voters}, or empty for a single node voting for itself
 * @param replicas the cluster's node count: replication factor of the internal topics
 * @param clusterId the id the log dir is formatted with, or empty for a fresh random one
 */
public record NodeRole(int nodeId, String voters, int replicas, String clusterId) {
  /** The one node of a single-node cluster. */
  public static final NodeRole SINGLE = new NodeRole(1, "", 1, "");

  /** The internal topics' {@code min.insync.replicas}: 2 once there are replicas to spare. */
  public int minInSyncReplicas() {
    return Math.min(2, replicas);
  }

  /** The voters, given this node's controller port for a single node. */
  public String votersWith(String host, int controllerPort) {
    return voters.isEmpty() ? nodeId + "@" + host + ":" + controllerPort : voters;
  }
}
