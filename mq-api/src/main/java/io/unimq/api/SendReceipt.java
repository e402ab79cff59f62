package io.unimq.api;

/**
 * Proof that the broker holds a message as durably as it can promise (publisher confirm, acks=all,
 * SEND_OK, XADD reply). {@code position} is broker-specific (offset, stream id, RocketMQ message
 * id) and may be null.
 */
public record SendReceipt(String messageId, String topic, String position) {}
