package io.unimq.api;

import java.net.URL;
import java.net.URLClassLoader;

/** Loads unimq's classes itself and hides one package prefix (an optional dependency); the rest comes from the test's class path. */
final class HidingLoader extends URLClassLoader {
  private final String hidden;

  HidingLoader(String hiddenPrefix) {
    super(new URL[] {Mq.class.getProtectionDomain().getCodeSource().getLocation()}, HidingLoader.class.getClassLoader());
    this.hidden = hiddenPrefix;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      if (name.startsWith(hidden)) {
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
