package io.unimq.redis;

/**
 * The URI of a launcher topology ({@code scripts/brokers env} prints {@code UNIMQ_<TOPOLOGY>_URI};
 * the system property {@code unimq.<topology>.uri}, dots for dashes, wins). The topology must be up
 * ({@code scripts/brokers up <topology>}).
 */
public final class TopologyUris {
  private TopologyUris() {}

  /** The URI of {@code topology} (e.g. {@code redis-cluster}) with more parameters ({@code a=b&c=d}, or empty). */
  public static String of(String topology, String params) {
    String variable = "UNIMQ_" + topology.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_URI";
    String uri = System.getProperty("unimq." + topology.replace('-', '.') + ".uri", System.getenv(variable));
    if (uri == null || uri.isBlank()) {
      throw new IllegalStateException(variable + " is not set: run eval \"$(scripts/brokers env)\" and scripts/brokers up " + topology);
    }
    return params.isEmpty() ? uri : uri + (uri.contains("?") ? "&" : "?") + params;
  }
}
