package io.unimq.tck;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * Runs only the kit areas named in {@code -Dunimq.tck.areas=Delay,Retry} (simple names of the
 * nested classes); every area when unset. The others are left out at discovery, so they are not
 * reported at all (neither run nor skipped). For quick iterations while writing an adapter.
 * Surefire's {@code -Dtest} cannot select nested classes inherited from the kit. Registered as a JUnit Platform
 * {@link PostDiscoveryFilter} through {@code META-INF/services}.
 */
public final class KitAreaFilter implements PostDiscoveryFilter {
  /** The system property naming the areas to run. */
  public static final String PROPERTY = "unimq.tck.areas";

  @Override
  public FilterResult apply(TestDescriptor descriptor) {
    String areas = System.getProperty(PROPERTY, "");
    if (areas.isBlank() || descriptor.getSource().isEmpty()) {
      return FilterResult.included("all areas");
    }
    // the platform removes excluded leaves (test methods) and then prunes empty containers
    TestSource source = descriptor.getSource().get();
    Class<?> c = source instanceof ClassSource ? ((ClassSource) source).getJavaClass()
        : source instanceof MethodSource ? ((MethodSource) source).getJavaClass() : null;
    if (c == null || c.getEnclosingClass() != MqCompatibilityKit.class) {
      return FilterResult.included("not a kit area");
    }
    Set<String> selected = Arrays.stream(areas.split(",")).map(String::trim).collect(Collectors.toSet());
    return selected.contains(c.getSimpleName())
        ? FilterResult.included("selected by " + PROPERTY)
        : FilterResult.excluded("not in " + PROPERTY + "=" + areas);
  }
}
