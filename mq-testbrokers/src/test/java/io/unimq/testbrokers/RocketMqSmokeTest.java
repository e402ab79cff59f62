package io.unimq.testbrokers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.SendReceipt;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class RocketMqSmokeTest {
    @BeforeAll
    static void brokerIsUp() {
        BrokerControl.up("rocketmq");
    }

    @Test
    void aMessageSentToANewNormalTopicIsReceivedBySimpleConsumer() throws Exception {
        String topic = "smoke-" + UUID.randomUUID();
        String group = "smoke-" + UUID.randomUUID();
        DefaultMQAdminExt admin = new DefaultMQAdminExt();
        admin.setNamesrvAddr(TestBrokers.rocketmqNamesrv());
        admin.setInstanceName("smoke-" + UUID.randomUUID());
        admin.start();
        try {
            String brokerAddr = masterAddress(admin.examineBrokerClusterInfo());
            Properties brokerConfig = admin.getBrokerConfig(brokerAddr);
            assertThat(brokerConfig.getProperty("flushDiskType")).isEqualTo("SYNC_FLUSH");
            TopicConfig config = new TopicConfig(topic, 4, 4);
            config.setAttributes(Map.of("+message.type", "NORMAL"));
            admin.createAndUpdateTopicConfig(brokerAddr, config);
        } finally {
            admin.shutdown();
        }

        ClientServiceProvider provider = ClientServiceProvider.loadService();
        ClientConfiguration client = ClientConfiguration.newBuilder()
                .setEndpoints(TestBrokers.rocketmqProxy())
                .enableSsl(false)
                .setRequestTimeout(Duration.ofSeconds(10))
                .build();
        try (SimpleConsumer consumer = provider.newSimpleConsumerBuilder()
                        .setClientConfiguration(client)
                        .setConsumerGroup(group)
                        .setSubscriptionExpressions(Map.of(topic, FilterExpression.SUB_ALL))
                        .setAwaitDuration(Duration.ofSeconds(5))
                        .build();
                Producer producer = provider.newProducerBuilder()
                        .setClientConfiguration(client)
                        .setTopics(topic)
                        .build()) {
            SendReceipt receipt = producer.send(provider.newMessageBuilder()
                    .setTopic(topic)
                    .setKeys("key")
                    .setBody("hello".getBytes(StandardCharsets.UTF_8))
                    .build());

            MessageView received = null;
            Instant deadline = Instant.now().plusSeconds(60);
            while (received == null && Instant.now().isBefore(deadline)) {
                for (MessageView view : consumer.receive(16, Duration.ofSeconds(30))) {
                    consumer.ack(view);
                    if (view.getMessageId().equals(receipt.getMessageId())) {
                        received = view;
                    }
                }
            }
            assertThat(received).as("message %s", receipt.getMessageId()).isNotNull();
            assertThat(StandardCharsets.UTF_8.decode(received.getBody()).toString()).isEqualTo("hello");
        }
    }

    private static String masterAddress(ClusterInfo cluster) {
        for (String brokerName : cluster.getClusterAddrTable().get("DefaultCluster")) {
            BrokerData broker = cluster.getBrokerAddrTable().get(brokerName);
            String address = broker.getBrokerAddrs().get(0L);
            if (address != null) {
                return address;
            }
        }
        throw new IllegalStateException("no master broker in DefaultCluster: " + cluster.getBrokerAddrTable());
    }
}
