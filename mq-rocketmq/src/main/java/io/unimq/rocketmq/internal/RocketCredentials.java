package io.unimq.rocketmq.internal;

import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.apis.SessionCredentialsProvider;
import org.apache.rocketmq.client.apis.StaticSessionCredentialsProvider;
import org.apache.rocketmq.remoting.RPCHook;

/**
 * An ACL access key and its secret key, for the gRPC client ({@link #provider()}) and the admin client
 * ({@link #rpcHook()}, which signs each remoting request). {@link #toString()} masks the secret. Immutable,
 * thread-safe.
 */
record RocketCredentials(String accessKey, String secretKey) {
  SessionCredentialsProvider provider() {
    return new StaticSessionCredentialsProvider(accessKey, secretKey);
  }

  RPCHook rpcHook() {
    return new AclClientRPCHook(new SessionCredentials(accessKey, secretKey));
  }

  @Override
  public String toString() {
    return "RocketCredentials[accessKey=" + accessKey + ", secretKey=****]";
  }
}
