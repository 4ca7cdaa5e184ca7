package io.docstream.state;

/**
 * Where a commit's delta record goes: its timestamp and its partition of the deltas topic. A
 * message's slot keeps both, so that {@code ?after=S} finds the delta on the topic.
 */
public record DeltaLocation(long timestampMillis, int partition) {}
