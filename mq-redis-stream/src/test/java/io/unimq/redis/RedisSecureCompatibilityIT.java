package io.unimq.redis;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;

/**
 * The compatibility kit against the secured Redis ({@code redis-secure}: TLS, an ACL user). TLS and
 * credentials act on the connections only, so CI runs the areas that use every kind of connection:
 * Produce and Groups (the shared and the publishing connections, a dedicated blocking connection per
 * consumer), Delay (the delay mover's pub/sub connection), DeadLetter, Lag, Listing and Health; the
 * others add nothing per connection (scripts/test.d/61-redis-secure).
 */
class RedisSecureCompatibilityIT extends MqCompatibilityKit {
  @Override
  protected MqClient connect() {
    return Mq.connect(uri());
  }

  @Override
  protected String uri() {
    return RedisSecureTestBroker.uri();
  }
}
