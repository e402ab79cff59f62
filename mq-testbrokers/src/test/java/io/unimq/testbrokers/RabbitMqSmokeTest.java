package io.unimq.testbrokers;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(180)
class RabbitMqSmokeTest {
    @BeforeAll
    static void brokerIsUp() {
        BrokerControl.up("rabbitmq");
    }

    @Test
    void aConfirmedPersistentMessageInADurableQueueSurvivesARestart() throws Exception {
        String queue = "smoke-" + UUID.randomUUID();
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        try (Connection connection = factory().newConnection("smoke-publisher");
                Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, true, false, false, null);
            channel.confirmSelect();
            channel.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, body);
            channel.waitForConfirmsOrDie(10_000);
        }

        BrokerControl.restart("rabbitmq");

        try (Connection connection = factory().newConnection("smoke-consumer");
                Channel channel = connection.createChannel()) {
            CompletableFuture<byte[]> received = new CompletableFuture<>();
            channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                        byte[] payload) throws java.io.IOException {
                    assertThat(properties.getDeliveryMode()).isEqualTo(2);
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                    received.complete(payload);
                }
            });
            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(body);
            channel.queueDelete(queue);
        }
    }

    private static ConnectionFactory factory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(TestBrokers.rabbitmqHost());
        factory.setPort(TestBrokers.rabbitmqPort());
        factory.setUsername(TestBrokers.rabbitmqUser());
        factory.setPassword(TestBrokers.rabbitmqPassword());
        factory.setVirtualHost(TestBrokers.rabbitmqVirtualHost());
        return factory;
    }
}
