package com.example.h2q.internal;

import io.unimq.api.Message;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** How a {@link Message} is stored in a row of {@code mq_message}. */
final class Rows {
  /** The columns {@link #message} reads, for SELECT lists. */
  static final String COLUMNS = "seq, topic, id, msg_key, headers, body";

  private Rows() {}

  /** Headers as {@code name=value&...}, both URL-encoded, so any string survives. */
  static String encode(Map<String, String> headers) {
    StringJoiner out = new StringJoiner("&");
    headers.forEach((k, v) -> out.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return out.toString();
  }

  static Map<String, String> decode(String headers) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : headers.split("&")) {
      if (!pair.isEmpty()) {
        int eq = pair.indexOf('=');
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** The message of a row selected with {@link #COLUMNS}. */
  static Message message(ResultSet rs) throws SQLException {
    return Message.builder(rs.getString("topic")).id(rs.getString("id")).key(rs.getString("msg_key"))
        .headers(decode(rs.getString("headers"))).body(rs.getBytes("body")).build();
  }
}
