/** The {@code redis://}, {@code redis-sentinel://} and {@code redis-cluster://} adapter (Redis Streams). */
module io.unimq.redis {
  requires io.unimq.api;
  requires org.slf4j;
  requires lettuce.core;
  requires io.netty.buffer;
  requires io.netty.transport;
  requires io.netty.handler;

  provides io.unimq.spi.MqProvider with io.unimq.redis.RedisStreamProvider, io.unimq.redis.RedisSentinelProvider,
      io.unimq.redis.RedisClusterProvider;
}
