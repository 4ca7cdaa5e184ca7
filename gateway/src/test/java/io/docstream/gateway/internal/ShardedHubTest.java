package io.docstream.gateway.internal;

/** Every {@link HubTest} again on a hub of four shard threads. */
class ShardedHubTest extends HubTest {
  @Override
  int threads() {
    return 4;
  }
}
