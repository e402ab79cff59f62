package io.unimq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unimq.api.Message;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prints results as aligned tables or as JSON (one document per result, one line per streamed message). */
final class Output {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Failure headers holding epoch milliseconds, shown with their instant in tables. */
  private static final List<String> TIME_HEADERS = List.of("unimq-dlq-first-failure", "unimq-dlq-last-failure");

  private Output() {}

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  static String json(Object node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A table: a header row, then rows, columns padded to their widest cell. */
  static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
    int[] width = new int[header.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), width[i] + 2));
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  /** A message as JSON: id, topic, key, headers, body (UTF-8 text, or bodyBase64), bodySize. */
  static ObjectNode message(Message m) {
    ObjectNode node = object();
    node.put("id", m.id());
    node.put("topic", m.topic());
    node.put("key", m.key());
    ObjectNode headers = node.putObject("headers");
    sorted(m.headers()).forEach(headers::put);
    byte[] body = m.body() == null ? new byte[0] : m.body();
    String text = utf8(body);
    if (text != null) {
      node.put("body", text);
    } else {
      node.put("bodyBase64", Base64.getEncoder().encodeToString(body));
    }
    node.put("bodySize", body.length);
    return node;
  }

  /** A message as a block of lines for people: id, key, headers (one a line), body preview. */
  static void messageBlock(PrintWriter out, Message m, int previewChars) {
    out.println("id       " + m.id());
    out.println("key      " + (m.key() == null ? "-" : m.key()));
    if (m.headers().isEmpty()) {
      out.println("headers  -");
    }
    String label = "headers  ";
    for (Map.Entry<String, String> h : sorted(m.headers()).entrySet()) {
      out.println(label + h.getKey() + "=" + oneLine(h.getValue(), 300) + timeOf(h));
      label = "         ";
    }
    out.println("body     " + preview(m.body(), previewChars));
    out.flush();
  }

  /** The user's headers by name, then unimq's by name: a stable order whatever the broker kept. */
  static Map<String, String> sorted(Map<String, String> headers) {
    Map<String, String> sorted = new TreeMap<>(Comparator.comparing((String name) -> name.startsWith(Message.RESERVED_HEADER_PREFIX))
        .thenComparing(Comparator.naturalOrder()));
    sorted.putAll(headers);
    return sorted;
  }

  private static String timeOf(Map.Entry<String, String> header) {
    if (!TIME_HEADERS.contains(header.getKey())) {
      return "";
    }
    try {
      return " (" + Instant.ofEpochMilli(Long.parseLong(header.getValue())) + ")";
    } catch (NumberFormatException e) {
      return "";
    }
  }

  /** The body's first characters on one line, or a note for binary bodies. */
  static String preview(byte[] body, int chars) {
    if (body == null || body.length == 0) {
      return "(empty)";
    }
    String text = utf8(body);
    if (text == null) {
      return "(" + body.length + " bytes, binary)";
    }
    String shown = oneLine(text, chars);
    return text.length() > chars ? shown + " (" + body.length + " bytes)" : shown;
  }

  /** Control characters escaped, cut at {@code max} characters with an ellipsis. */
  static String oneLine(String text, int max) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    for (; i < text.length() && out.length() < max; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(Character.isISOControl(c) ? '?' : c);
      }
    }
    return i < text.length() ? out + "…" : out.toString();
  }

  private static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
