package io.unimq.examples;

/**
 * One example: connects to {@code uri}, plays a story from real practice, prints what happened and
 * checks it. Returns true when every self-check passed.
 */
@FunctionalInterface
public interface Scenario {
  boolean run(String uri) throws Exception;
}
