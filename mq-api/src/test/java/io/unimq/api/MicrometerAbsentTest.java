package io.unimq.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** Without Micrometer on the classpath, asking for metrics names the artifact to add. */
class MicrometerAbsentTest {
  @Test
  void aMeterRegistryWithoutMicrometerIsAConfigurationErrorNamingTheArtifact() throws Exception {
    try (HidingLoader loader = new HidingLoader("io.micrometer.")) {
      Class<?> mq = loader.loadClass(Mq.class.getName());
      assertThat(mq).isNotSameAs(Mq.class);
      Object builder = mq.getMethod("builder", String.class).invoke(null, "memory://x");
      Method meterRegistry = builder.getClass().getMethod("meterRegistry", Object.class);
      Throwable thrown = null;
      try {
        meterRegistry.invoke(builder, new Object());
      } catch (InvocationTargetException e) {
        thrown = e.getCause();
      }
      assertThat(thrown).isNotNull();
      assertThat(thrown.getClass().getName()).isEqualTo(MqConfigurationException.class.getName());
      assertThat(thrown.getMessage()).contains("io.micrometer:micrometer-core");
    }
  }
}
