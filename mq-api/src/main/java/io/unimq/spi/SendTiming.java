package io.unimq.spi;

import java.time.Duration;

/**
 * Optional piece of a {@link Transport} whose client times and retries sends on its own (Kafka's
 * idempotent producer with {@code delivery.timeout.ms}); see {@link Transport#sendTiming()}. Without
 * it (the usual case) the engine keeps each message until its send is reported, fails every send
 * not reported within the client's {@code sendTimeout}, and retries failed sends itself.
 *
 * @param retriesSends true when the client retries a failed send itself, the same record and so
 *     the same id, until it reports. The engine then lets the message go once
 *     {@link Transport#publish(io.unimq.api.Message, Transport.PublishCallback)} has returned, and a
 *     failure reported after that is final; one reported while {@code publish} runs is retried as
 *     usual. Such a transport gives its client the send's budget, {@code sendTimeout}, and
 *     {@code reportBound} is compared with that budget.
 * @param reportBound the longest a {@code publish} can take to report once it has returned, when
 *     the client guarantees a report on its own; null when it does not. When this is at most the
 *     engine's budget for a send ({@code sendTimeout}), the engine keeps
 *     no deadline per send; otherwise it fails every send not reported within that budget itself.
 */
public record SendTiming(boolean retriesSends, Duration reportBound) {}
