package io.unimq.testbrokers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code rocketmq-cluster} topology with RocketMQ's own gRPC client, through both proxies: a topic on both
 * broker groups takes sends again soon after one group is killed (it prints how many failed before, and for how
 * long), and every message whose send succeeded is received once the group is back. Not part of the build's
 * test run (the class name does not end in Test): it starts {@code rocketmq-cluster} with {@code scripts/brokers}
 * and kills a node of it. Run it with
 * {@code mvn -pl mq-testbrokers -am verify -Dtest=RocketMqClusterCheck -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Timeout(600)
class RocketMqClusterCheck {
    private static final String H = "127.0.0.1";

    @Test
    void sendsGoOnThroughBothProxiesWhileABrokerGroupIsDown() throws Exception {
        BrokerControl.run("up", "rocketmq-cluster");
        String topic = "cluster-check-" + UUID.randomUUID();
        String group = "cluster-check-" + UUID.randomUUID();
        createOnEveryGroup(topic);

        ClientServiceProvider provider = ClientServiceProvider.loadService();
        List<String> endpoints = new ArrayList<>();
        for (String port : TestBrokers.env("ROCKETMQ_CLUSTER_PROXY_GRPC_PORTS").split(",")) {
            endpoints.add(H + ":" + port.trim());
        }
        ClientConfiguration client = ClientConfiguration.newBuilder()
                .setEndpoints(String.join(";", endpoints))
                .enableSsl(false)
                .setRequestTimeout(Duration.ofSeconds(10))
                .build();
        Set<String> sent = new HashSet<>();
        try (Producer producer = provider.newProducerBuilder()
                .setClientConfiguration(client)
                .setTopics(topic)
                .build()) {
            for (int i = 0; i < 20; i++) {
                sent.add(send(provider, producer, topic, "before-" + i));
            }
            BrokerControl.run("kill", "rocketmq-cluster", "broker-a");
            // The proxies learn that broker-a is gone from the name server's routes: until then a send routed to
            // one of its queues fails (the client's retries may land on broker-a again). Send until 20 in a row
            // succeed, and report what failed before.
            Instant killed = Instant.now();
            Instant deadline = killed.plusSeconds(120);
            int inARow = 0;
            List<String> failures = new ArrayList<>();
            Duration lastFailure = Duration.ZERO;
            for (int i = 0; inARow < 20 && Instant.now().isBefore(deadline); i++) {
                try {
                    sent.add(send(provider, producer, topic, "during-" + i));
                    inARow++;
                } catch (Exception e) {
                    inARow = 0;
                    lastFailure = Duration.between(killed, Instant.now());
                    failures.add(e.getClass().getSimpleName());
                    Thread.sleep(200);
                }
            }
            System.out.printf("rocketmq-cluster, broker-a killed: %d sends failed, the last %.1f s after it: %s%n",
                    failures.size(), lastFailure.toMillis() / 1000.0, new TreeSet<>(failures));
            assertThat(inARow)
                    .as("sends succeed again through the proxies within 120 s (failed: %s)", new TreeSet<>(failures))
                    .isEqualTo(20);
        } finally {
            BrokerControl.run("up", "rocketmq-cluster");
        }

        Set<String> received = new HashSet<>();
        try (SimpleConsumer consumer = provider.newSimpleConsumerBuilder()
                .setClientConfiguration(client)
                .setConsumerGroup(group)
                .setSubscriptionExpressions(Map.of(topic, FilterExpression.SUB_ALL))
                .setAwaitDuration(Duration.ofSeconds(5))
                .build()) {
            Instant deadline = Instant.now().plusSeconds(180);
            while (!received.containsAll(sent) && Instant.now().isBefore(deadline)) {
                for (MessageView view : consumer.receive(32, Duration.ofSeconds(30))) {
                    consumer.ack(view);
                    received.add(view.getMessageId().toString());
                }
            }
        }
        assertThat(received).as("messages received of the %d sent", sent.size()).containsAll(sent);
    }

    private static String send(ClientServiceProvider provider, Producer producer, String topic, String body)
            throws Exception {
        return producer.send(provider.newMessageBuilder()
                        .setTopic(topic)
                        .setBody(body.getBytes(StandardCharsets.UTF_8))
                        .build())
                .getMessageId()
                .toString();
    }

    private static void createOnEveryGroup(String topic) throws Exception {
        DefaultMQAdminExt admin = new DefaultMQAdminExt();
        admin.setNamesrvAddr(H + ":" + TestBrokers.env("ROCKETMQ_CLUSTER_NAMESRV_PORT"));
        admin.setInstanceName("cluster-check-" + UUID.randomUUID());
        admin.start();
        try {
            ClusterInfo cluster = admin.examineBrokerClusterInfo();
            Set<String> groups = cluster.getClusterAddrTable().get("DefaultCluster");
            assertThat(groups).containsExactlyInAnyOrder("broker-a", "broker-b");
            for (String name : groups) {
                BrokerData broker = cluster.getBrokerAddrTable().get(name);
                TopicConfig config = new TopicConfig(topic, 4, 4);
                config.setAttributes(Map.of("+message.type", "NORMAL"));
                admin.createAndUpdateTopicConfig(broker.getBrokerAddrs().get(0L), config);
            }
        } finally {
            admin.shutdown();
        }
    }
}
