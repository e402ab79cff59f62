package io.unimq.redis.cluster;

import io.unimq.redis.RedisStreamCompatibilityTest;

/**
 * The compatibility kit on {@code redis-cluster://} (the launcher's Redis Cluster topology, 3 masters
 * with a replica each), with the default {@code replicaAcks=1}: every send waits for the replica of
 * the master that took it. The kit's topics spread over the masters. CI runs the areas listed in
 * scripts/test.d/53-redis-cluster ({@code -Dunimq.tck.areas}); without that property the whole kit runs.
 */
class RedisClusterCompatibilityIT extends RedisStreamCompatibilityTest {
  @Override
  protected String uri() {
    return ClusterTopology.uri(PARAMETERS);
  }
}
