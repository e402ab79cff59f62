package io.unimq.spi;

/**
 * What the engine asks of a consumer: topic, group, whether same-key order must hold (the
 * transport then hands a key's messages to one consumer in order), and how many messages may be
 * fetched and unacked at once, and how many engine threads handle them (which also take turns
 * polling).
 */
public record ConsumerSpec(String topic, String group, boolean ordered, int prefetch, String consumerId, int concurrency) {}
