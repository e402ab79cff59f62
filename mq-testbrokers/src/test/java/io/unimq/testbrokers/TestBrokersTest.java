package io.unimq.testbrokers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestBrokersTest {
    @Test
    void environmentNamesMapToDottedLowerCaseProperties() {
        assertThat(TestBrokers.propertyName("UNIMQ_REDIS_URI")).isEqualTo("unimq.redis.uri");
    }

    @Test
    void defaultsMatchTheScriptsPorts() {
        // holds when neither the environment nor system properties override the defaults
        if (System.getenv().keySet().stream().noneMatch(k -> k.startsWith("UNIMQ_"))
                && System.getProperties().stringPropertyNames().stream().noneMatch(k -> k.startsWith("unimq.") && !k.startsWith("unimq.tck."))) {
            assertThat(TestBrokers.redisHostPort()).isEqualTo("127.0.0.1:16379");
            assertThat(TestBrokers.kafkaBootstrap()).isEqualTo("127.0.0.1:19092");
            assertThat(TestBrokers.rocketmqProxy()).isEqualTo("127.0.0.1:18081");
            assertThat(TestBrokers.rocketmqNamesrv()).isEqualTo("127.0.0.1:19876");
            assertThat(TestBrokers.rabbitmqHost()).isEqualTo("127.0.0.1");
            assertThat(TestBrokers.rabbitmqPort()).isEqualTo(5673);
            assertThat(TestBrokers.rabbitmqUser()).isEqualTo("unimq");
            assertThat(TestBrokers.rabbitmqPassword()).isEqualTo("unimq");
            assertThat(TestBrokers.rabbitmqVirtualHost()).isEqualTo("/");
            assertThat(TestBrokers.postgresJdbc()).isEqualTo("jdbc:postgresql://127.0.0.1:15432/unimq");
        }
    }

    @Test
    void aSystemPropertyOverridesTheDefault() {
        String old = System.getProperty("unimq.kafka.uri");
        System.setProperty("unimq.kafka.uri", "kafka://10.0.0.1:1234,10.0.0.2:1234?partitions=8");
        try {
            if (System.getenv("UNIMQ_KAFKA_URI") == null) {
                assertThat(TestBrokers.kafkaBootstrap()).isEqualTo("10.0.0.1:1234,10.0.0.2:1234");
            }
        } finally {
            if (old == null) {
                System.clearProperty("unimq.kafka.uri");
            } else {
                System.setProperty("unimq.kafka.uri", old);
            }
        }
    }

    @Test
    void anUnknownBrokerNameIsRejectedBeforeTheScriptRuns() {
        assertThatThrownBy(() -> BrokerControl.restart("activemq"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("activemq");
    }

    @Test
    void theScriptIsFoundAboveTheWorkingDirectory() {
        assertThat(BrokerControl.script()).endsWith(java.nio.file.Path.of("scripts", "brokers"));
    }
}
