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
    void defaultsComeFromBrokersEnv() {
        // holds when neither the environment nor system properties override the defaults
        if (System.getenv().keySet().stream().noneMatch(k -> k.startsWith("UNIMQ_") && !k.equals(TestBrokers.BROKERS_SCRIPT))
                && System.getProperties().stringPropertyNames().stream().noneMatch(k -> k.startsWith("unimq.") && !k.startsWith("unimq.tck."))) {
            assertThat(TestBrokers.redisHostPort()).isEqualTo("127.0.0.1:" + TestBrokers.env("REDIS_PORT"));
            assertThat(TestBrokers.kafkaBootstrap()).isEqualTo("127.0.0.1:" + TestBrokers.env("KAFKA_PORT"));
            assertThat(TestBrokers.rocketmqProxy()).isEqualTo("127.0.0.1:" + TestBrokers.env("ROCKETMQ_PROXY_GRPC_PORT"));
            assertThat(TestBrokers.rocketmqNamesrv()).isEqualTo("127.0.0.1:" + TestBrokers.env("ROCKETMQ_NAMESRV_PORT"));
            assertThat(TestBrokers.rabbitmqHost()).isEqualTo("127.0.0.1");
            assertThat(TestBrokers.rabbitmqPort()).isEqualTo(Integer.parseInt(TestBrokers.env("RABBITMQ_PORT")));
            assertThat(TestBrokers.rabbitmqManagementPort()).isEqualTo(Integer.parseInt(TestBrokers.env("RABBITMQ_MGMT_PORT")));
            assertThat(TestBrokers.rabbitmqUser()).isEqualTo(TestBrokers.env("RABBITMQ_USER"));
            assertThat(TestBrokers.rabbitmqPassword()).isEqualTo(TestBrokers.env("RABBITMQ_PASS"));
            assertThat(TestBrokers.rabbitmqVirtualHost()).isEqualTo("/");
            assertThat(TestBrokers.postgresJdbc())
                    .isEqualTo("jdbc:postgresql://127.0.0.1:" + TestBrokers.env("POSTGRES_PORT") + "/" + TestBrokers.env("POSTGRES_DB"));
        }
    }

    @Test
    void brokersEnvIsFoundAboveTheWorkingDirectoryAndParsed() {
        assertThat(TestBrokers.brokersEnvFile()).endsWith(java.nio.file.Path.of("scripts", "brokers.env"));
        assertThat(TestBrokers.env("REDIS_PORT")).matches("[0-9]+");
        assertThat(TestBrokers.parseEnv(java.util.List.of("# comment", "", "A=1   # the first", "B = x=y")))
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("A", "1", "B", "x=y"));
    }

    @Test
    void theRabbitMqDefaultNamesTheManagementPortSoThatLagCountsUnackedMessages() {
        if (System.getenv(TestBrokers.RABBITMQ_URI) == null && System.getProperty("unimq.rabbitmq.uri") == null) {
            assertThat(TestBrokers.rabbitmqUri()).contains("?managementPort=" + TestBrokers.env("RABBITMQ_MGMT_PORT"));
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
