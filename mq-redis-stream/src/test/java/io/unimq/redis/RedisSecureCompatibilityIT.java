package io.unimq.redis;

import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import io.unimq.tck.MqCompatibilityKit;

/**
 * The whole compatibility kit against the secured Redis (TLS, credentials, an ACL user): every area, each on
 * connections that are TLS and authenticated. Run by scripts/test.d/61-redis-secure; its reports are kept apart from
 * the plain run's (target/topology-reports), so docs/compatibility.md shows the plain broker.
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
