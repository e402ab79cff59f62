package io.unimq.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unimq.api.MqConfigurationException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MqConfigTest {
  @Test
  void parsesEveryPartOfTheGrammar() {
    MqConfig c = MqConfig.parse("rabbitmq://us%40r:p%3Ass@broker.local:5673/%2F?prefetch=10&rabbitmq.requestedHeartbeat=5");
    assertThat(c.scheme()).isEqualTo("rabbitmq");
    assertThat(c.user(null)).isEqualTo("us@r");
    assertThat(c.password(null)).isEqualTo("p:ss");
    assertThat(c.host()).isEqualTo("broker.local");
    assertThat(c.port(1)).isEqualTo(5673);
    assertThat(c.path()).isEqualTo("/");
    assertThat(c.integer("prefetch", 1, 1, 100)).isEqualTo(10);
    assertThat(c.vendorParameters()).containsEntry("requestedHeartbeat", "5");
  }

  @Test
  void hostListsNameEveryNodeAndKeepTheRestOfTheGrammar() {
    MqConfig c = MqConfig.parse("rabbitmq://u:p%40ss@h1:5681,h2,[::1]:5683/vh?prefetch=7");
    assertThat(c.addresses()).containsExactly(new MqConfig.Address("h1", 5681), new MqConfig.Address("h2", -1),
        new MqConfig.Address("::1", 5683));
    assertThat(c.hostPorts(5672)).containsExactly("h1:5681", "h2:5672", "[::1]:5683");
    assertThat(c.host()).isEqualTo("h1");
    assertThat(c.port(1)).isEqualTo(5681);
    assertThat(c.user(null)).isEqualTo("u");
    assertThat(c.password(null)).isEqualTo("p@ss");
    assertThat(c.path()).isEqualTo("vh");
    assertThat(c.integer("prefetch", 1, 1, 100)).isEqualTo(7);
    assertThat(MqConfig.parse("kafka://a:1").addresses()).containsExactly(new MqConfig.Address("a", 1));
    assertThat(MqConfig.parse("rocketmq://p1:8081,p2:8081?namesrv=a:9876;b:9876").string("namesrv", null))
        .isEqualTo("a:9876;b:9876");
  }

  @Test
  void badEntriesOfAHostListAreConfigurationErrors() {
    assertThatThrownBy(() -> MqConfig.parse("kafka://h1:9092,,h3:9092")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("host list");
    assertThatThrownBy(() -> MqConfig.parse("kafka://h1:9092,h2:0")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("'0'").hasMessageContaining("1-65535");
    assertThatThrownBy(() -> MqConfig.parse("kafka://h1:9092,h2:x")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("'x'");
  }

  @Test
  void secretParametersAreMaskedInTheRedactedUri() {
    MqConfig c = MqConfig.parse("kafka://u:pw1@h1:1,h2:2?password=pw2&trustStorePassword=pw3&secretKey=pw4"
        + "&kafka.sasl.jaas.config=pw5&user=alice&tls=true");
    String shown = c.redactedUri() + " " + c;
    for (String secret : new String[] {"pw1", "pw2", "pw3", "pw4", "pw5"}) {
      assertThat(shown).doesNotContain(secret);
    }
    assertThat(c.redactedUri()).contains("user=alice").contains("tls=true").contains("h1:1,h2:2");
    assertThat(MqConfig.isSecretParameter("accessKey")).isFalse();
    assertThat(MqConfig.isSecretParameter("keyStorePassword")).isTrue();
    assertThatThrownBy(() -> MqConfig.parse("kafka://h?password=pw9&password=pw9"))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pw9"));
  }

  @Test
  void memoryNamesWithUnderscoresAreHosts() {
    MqConfig c = MqConfig.parse("memory://kit_1");
    assertThat(c.host()).isEqualTo("kit_1");
    assertThat(c.port(-1)).isEqualTo(-1);
  }

  @Test
  void durationsAcceptShortAndIsoForms() {
    MqConfig c = MqConfig.parse("x://h?a=250ms&b=5s&c=2m&d=PT1H");
    assertThat(c.duration("a", null)).isEqualTo(Duration.ofMillis(250));
    assertThat(c.duration("b", null)).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.duration("c", null)).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.duration("d", null)).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> MqConfig.parse("x://h?a=soon").duration("a", null))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("'a'").hasMessageContaining("soon");
  }

  @Test
  void malformedUrisAreRejectedWithTheExpectedShape() {
    assertThatThrownBy(() -> MqConfig.parse("::nope")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("malformed").hasMessageContaining("scheme://");
    assertThatThrownBy(() -> MqConfig.parse("kafka//x")).isInstanceOf(MqConfigurationException.class);
    assertThatThrownBy(() -> MqConfig.parse("")).isInstanceOf(MqConfigurationException.class);
    assertThatThrownBy(() -> MqConfig.parse("kafka://h?novalue")).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("novalue");
  }

  @Test
  void passwordsNeverAppearInErrors() {
    assertThatThrownBy(() -> MqConfig.parse("rabbitmq://u:secret@h:1/v?x").validate(Set.of(), Set.of()))
        .isInstanceOf(MqConfigurationException.class).satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
  }

  @Test
  void unknownParametersAreErrorsButVendorOnesPassThrough() {
    MqConfig c = MqConfig.parse("kafka://h:1?partitions=3&kafka.linger.ms=5");
    c.validate(Set.of("partitions"), Set.of());
    assertThatThrownBy(() -> MqConfig.parse("kafka://h:1?partitons=3").validate(Set.of("partitions"), Set.of("sendTimeout")))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("partitons").hasMessageContaining("partitions");
  }

  @Test
  void integersAreRangeChecked() {
    assertThatThrownBy(() -> MqConfig.parse("x://h?n=0").integer("n", 1, 1, 10))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("between 1 and 10");
    assertThatThrownBy(() -> MqConfig.parse("x://h?n=many").integer("n", 1, 1, 10))
        .isInstanceOf(MqConfigurationException.class).hasMessageContaining("integer");
  }

  @Test
  void negativeDurationsAreRejectedWithTheParametersName() {
    for (String v : new String[] {"-5s", "-250ms", "-1m", "PT-5S"}) {
      MqConfig c = MqConfig.parse("memory://x?sendTimeout=" + v + "&txCheckInterval=" + v + "&pollTimeout=" + v);
      assertThatThrownBy(c::sendTimeout).isInstanceOf(MqConfigurationException.class)
          .hasMessageContaining("'sendTimeout'").hasMessageContaining("negative").hasMessageContaining(v);
      assertThatThrownBy(() -> c.duration("txCheckInterval", Duration.ofSeconds(5))).isInstanceOf(MqConfigurationException.class)
          .hasMessageContaining("'txCheckInterval'").hasMessageContaining("negative");
      assertThatThrownBy(() -> c.duration("pollTimeout", Duration.ofSeconds(1))).isInstanceOf(MqConfigurationException.class)
          .hasMessageContaining("'pollTimeout'");
    }
    assertThat(MqConfig.parse("memory://x?pollTimeout=0s").duration("pollTimeout", Duration.ofSeconds(1))).isEqualTo(Duration.ZERO);
  }

  @Test
  void timeoutsAndIntervalsMustBePositive() {
    for (String name : new String[] {"sendTimeout", "connectTimeout", "txCheckInterval"}) {
      MqConfig c = MqConfig.parse("memory://x?" + name + "=0s");
      assertThatThrownBy(() -> c.positiveDuration(name, Duration.ofSeconds(1))).isInstanceOf(MqConfigurationException.class)
          .hasMessageContaining("'" + name + "'").hasMessageContaining("positive");
    }
    assertThatThrownBy(() -> MqConfig.parse("memory://x?sendTimeout=0s").sendTimeout()).isInstanceOf(MqConfigurationException.class);
    assertThatThrownBy(() -> MqConfig.parse("memory://x?txCheckInterval=0ms").txCheckInterval()).isInstanceOf(MqConfigurationException.class);
    assertThat(MqConfig.parse("memory://x").txCheckInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(MqConfig.parse("memory://x?sendTimeout=1ms").sendTimeout()).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void portsOutOfRangeAreConfigurationErrorsNamingTheRange() {
    for (String port : new String[] {"0", "65536", "99999"}) {
      assertThatThrownBy(() -> MqConfig.parse("kafka://h:" + port)).isInstanceOf(MqConfigurationException.class)
          .hasMessageContaining("port " + port).hasMessageContaining("1-65535");
    }
    assertThat(MqConfig.parse("kafka://h:65535").port(1)).isEqualTo(65535);
    assertThat(MqConfig.parse("kafka://h").port(9092)).isEqualTo(9092);
  }

  @Test
  void booleansAreStrict() {
    for (String v : new String[] {"maybe", "yes", "1", ""}) {
      assertThatThrownBy(() -> MqConfig.parse("x://h?ssl=" + v).bool("ssl", false)).isInstanceOf(MqConfigurationException.class)
          .hasMessageContaining("'ssl'").hasMessageContaining("true or false");
    }
    assertThat(MqConfig.parse("x://h?ssl=TRUE").bool("ssl", false)).isTrue();
    assertThat(MqConfig.strictBoolean("x.ssl", " false ")).isFalse();
  }

  @Test
  void choicesNameTheAllowedValues() {
    MqConfig c = MqConfig.parse("x://h?mode=FAST&other=slowest");
    assertThat(c.choice("mode", "safe", java.util.List.of("safe", "fast"))).isEqualTo("fast");
    assertThat(c.choice("absent", "safe", java.util.List.of("safe", "fast"))).isEqualTo("safe");
    assertThatThrownBy(() -> c.choice("other", "safe", java.util.List.of("safe", "fast"))).isInstanceOf(MqConfigurationException.class)
        .hasMessageContaining("'other'").hasMessageContaining("[safe, fast]").hasMessageContaining("slowest");
  }
}
