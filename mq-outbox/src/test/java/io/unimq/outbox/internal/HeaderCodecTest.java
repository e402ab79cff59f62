package io.unimq.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderCodecTest {
  @Test
  void anyHeadersRoundTripInOrder() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("traceparent", "00-abc-def-01");
    headers.put("a&b=c", "x=y&z");
    headers.put("ünï cödé", "✓ ok %20");
    headers.put("empty", "");
    String text = HeaderCodec.encode(headers);
    assertThat(HeaderCodec.decode(text)).containsExactlyEntriesOf(headers);
  }

  @Test
  void noHeadersAreStoredAsNull() {
    assertThat(HeaderCodec.encode(Map.of())).isNull();
    assertThat(HeaderCodec.decode(null)).isEmpty();
  }
}
