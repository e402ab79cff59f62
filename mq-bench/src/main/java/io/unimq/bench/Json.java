package io.unimq.bench;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A minimal JSON writer for maps, lists, strings, numbers and booleans. Stateless. */
final class Json {
  private Json() {}

  static String write(Object o) {
    StringBuilder sb = new StringBuilder();
    write(sb, o, "");
    return sb.append('\n').toString();
  }

  private static void write(StringBuilder sb, Object o, String indent) {
    if (o == null) {
      sb.append("null");
    } else if (o instanceof String s) {
      sb.append('"');
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          default -> {
            if (c < 0x20) {
              sb.append(String.format("\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
          }
        }
      }
      sb.append('"');
    } else if (o instanceof Double d) {
      sb.append(d.isNaN() || d.isInfinite() ? "null" : d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : String.format(java.util.Locale.ROOT, "%.4f", d));
    } else if (o instanceof Number || o instanceof Boolean) {
      sb.append(o);
    } else if (o instanceof Map<?, ?> m) {
      sb.append("{");
      String in = indent + "  ";
      Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        sb.append('\n').append(in);
        write(sb, String.valueOf(e.getKey()), in);
        sb.append(": ");
        write(sb, e.getValue(), in);
        if (it.hasNext()) {
          sb.append(',');
        }
      }
      sb.append(m.isEmpty() ? "}" : "\n" + indent + "}");
    } else if (o instanceof List<?> l) {
      boolean flat = l.stream().allMatch(x -> x instanceof Number || x == null);
      sb.append('[');
      String in = indent + "  ";
      for (int i = 0; i < l.size(); i++) {
        if (!flat) {
          sb.append('\n').append(in);
        }
        write(sb, l.get(i), in);
        if (i < l.size() - 1) {
          sb.append(flat ? ", " : ",");
        }
      }
      sb.append(flat || l.isEmpty() ? "]" : "\n" + indent + "]");
    } else if (o instanceof double[] a) {
      List<Double> l = new java.util.ArrayList<>();
      for (double x : a) {
        l.add(x);
      }
      write(sb, l, indent);
    } else {
      write(sb, o.toString(), indent);
    }
  }
}
