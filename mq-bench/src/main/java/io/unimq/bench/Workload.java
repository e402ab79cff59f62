package io.unimq.bench;

/** A message size and a partition count. Immutable. */
record Workload(int size, int partitions) {
  String label() {
    return (size >= 1024 && size % 1024 == 0 ? size / 1024 + " KiB" : size + " B") + ", " + partitions + (partitions == 1 ? " partition" : " partitions");
  }

  /** {@code 100B:1,1KiB:8}. */
  static java.util.List<Workload> parse(String spec) {
    java.util.List<Workload> out = new java.util.ArrayList<>();
    for (String w : spec.split(",")) {
      String[] sp = w.trim().split(":");
      String s = sp[0].toLowerCase(java.util.Locale.ROOT);
      int size = s.endsWith("kib") ? Integer.parseInt(s.substring(0, s.length() - 3)) * 1024
          : Integer.parseInt(s.endsWith("b") ? s.substring(0, s.length() - 1) : s);
      out.add(new Workload(size, sp.length > 1 ? Integer.parseInt(sp[1]) : 1));
    }
    return out;
  }
}
