/**
 * Test support for adapter tests against real brokers: {@link io.unimq.testbrokers.TestBrokers} says where
 * they are, {@link io.unimq.testbrokers.BrokerControl} restarts, kills and pauses them through
 * {@code scripts/brokers}.
 */
package io.unimq.testbrokers;
