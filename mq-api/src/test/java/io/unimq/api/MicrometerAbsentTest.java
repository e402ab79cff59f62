package io.unimq.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/** Without Micrometer on the classpath, asking for metrics names the artifact to add. */
class MicrometerAbsentTest {
  /** Loads unimq's classes itself and hides Micrometer; everything else comes from the test's class path. */
  private static final class WithoutMicrometer extends URLClassLoader {
    WithoutMicrometer(URL unimq) {
      super(new URL[] {unimq}, MicrometerAbsentTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        if (name.startsWith("io.micrometer.")) {
          throw new ClassNotFoundException(name);
        }
        if (name.startsWith("io.unimq.")) {
          Class<?> c = findLoadedClass(name);
          return c != null ? c : findClass(name);
        }
        return super.loadClass(name, resolve);
      }
    }
  }

  @Test
  void aMeterRegistryWithoutMicrometerIsAConfigurationErrorNamingTheArtifact() throws Exception {
    URL unimq = Mq.class.getProtectionDomain().getCodeSource().getLocation();
    try (WithoutMicrometer loader = new WithoutMicrometer(unimq)) {
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
