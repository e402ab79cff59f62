package io.unimq.testbrokers;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class RedisSmokeTest {
    @BeforeAll
    static void brokerIsUp() {
        BrokerControl.up("redis");
    }

    @Test
    void anEntryAddedWithXaddSurvivesAKillAndIsReadByAGroup() {
        String stream = "smoke-" + UUID.randomUUID();
        String id = withRedis(redis -> {
            assertThat(redis.configGet("appendonly")).containsEntry("appendonly", "yes");
            assertThat(redis.configGet("appendfsync")).containsEntry("appendfsync", "always");
            return redis.xadd(stream, Map.of("body", "hello"));
        });

        BrokerControl.kill("redis"); // SIGKILL: only the fsynced append-only file keeps the entry
        BrokerControl.up("redis");

        withRedis(redis -> {
            redis.xgroupCreate(StreamOffset.from(stream, "0"), "smoke");
            List<StreamMessage<String, String>> read =
                    redis.xreadgroup(Consumer.from("smoke", "c1"), StreamOffset.lastConsumed(stream));
            assertThat(read).hasSize(1);
            assertThat(read.get(0).getId()).isEqualTo(id);
            assertThat(read.get(0).getBody()).containsEntry("body", "hello");
            assertThat(redis.xack(stream, "smoke", id)).isEqualTo(1L);
            return redis.del(stream);
        });
    }

    private static <T> T withRedis(Function<RedisCommands<String, String>, T> work) {
        RedisClient client = RedisClient.create(TestBrokers.redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return work.apply(connection.sync());
        } finally {
            client.shutdown();
        }
    }
}
