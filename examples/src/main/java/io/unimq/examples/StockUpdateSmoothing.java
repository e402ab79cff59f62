package io.unimq.examples;

import io.unimq.api.Message;
import io.unimq.api.Mq;
import io.unimq.api.MqClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * During a flash sale the stock of a SKU changes many times a second, and re-indexing the product
 * in search on every change is an expensive call each time. Smoothing: each change is written to
 * the stock table at once, and a message "re-index SKU x at version v" is sent with a delay. When it arrives,
 * the indexer compares v with the table: an older version is skipped, the latest is indexed. A
 * burst of changes costs one re-index, at most the delay after the last change.
 */
public final class StockUpdateSmoothing implements Scenario {
  private static final Duration SMOOTHING = Duration.ofMillis(1500);
  private static final String[] SKUS = {"sku-kettle", "sku-toaster", "sku-blender"};
  private static final int UPDATES_PER_SKU = 4;
  /**
   * The broker's clock decides when a message is due, and it may differ a little from ours: like
   * the compatibility kit, allow 50 ms before calling an arrival early.
   */
  private static final Duration CLOCK_SLACK = Duration.ofMillis(50);

  /** A row of the stock table. */
  private record Stock(int version, int quantity) {}

  public static void main(String[] args) throws Exception {
    Examples.main(new StockUpdateSmoothing(), args);
  }

  @Override
  public boolean run(String uri) throws Exception {
    Examples.title("Stock update smoothing with delayed messages", uri);
    String topic = Examples.unique("stock-reindex");
    Map<String, Stock> stockTable = new ConcurrentHashMap<>();
    Map<String, Integer> indexedQuantity = new ConcurrentHashMap<>(); // what search shows
    Map<String, AtomicInteger> reindexes = new ConcurrentHashMap<>();
    List<String> early = new CopyOnWriteArrayList<>();
    CountDownLatch allArrived = new CountDownLatch(SKUS.length * UPDATES_PER_SKU);

    try (MqClient client = Mq.connect(uri)) {
      client.subscribe(topic, "search-indexer", delivery -> {
        Instant arrived = Instant.now();
        Instant due = Instant.parse(delivery.header("due"));
        String sku = delivery.key();
        int version = Integer.parseInt(delivery.bodyAsString());
        Stock current = stockTable.get(sku);
        boolean latest = current.version() == version;
        if (latest) {
          indexedQuantity.put(sku, current.quantity()); // the expensive call
          reindexes.computeIfAbsent(sku, k -> new AtomicInteger()).incrementAndGet();
        }
        if (arrived.isBefore(due.minus(CLOCK_SLACK))) {
          early.add(sku + " v" + version);
        }
        System.out.printf("  %-12s v%d due %s arrived %s (%+6.1f ms)  %s%n", sku, version, Examples.clock(due),
            Examples.clock(arrived), Duration.between(due, arrived).toNanos() / 1e6,
            latest ? "latest: re-index with quantity " + current.quantity() : "skip: v" + current.version() + " is newer");
        allArrived.countDown();
      });

      // The flash sale: every 50 ms one SKU sells an item; each change schedules a re-index.
      int quantity = 50;
      for (int v = 1; v <= UPDATES_PER_SKU; v++) {
        for (String sku : SKUS) {
          Stock stock = new Stock(v, quantity--);
          stockTable.put(sku, stock); // the business write
          Instant due = Instant.now().plus(SMOOTHING);
          client.producer().send(Message.builder(topic).key(sku).header("due", due.toString())
              .body(Integer.toString(v)).deliverAt(due).build());
          System.out.printf("  %-12s v%d quantity %d at %s, re-index scheduled for %s%n", sku, v, stock.quantity(),
              Examples.clock(Instant.now()), Examples.clock(due));
          Thread.sleep(50); // time passing between sales, not synchronization
        }
      }

      boolean arrived = Examples.await(allArrived);
      boolean ok = Examples.check(arrived, "all " + SKUS.length * UPDATES_PER_SKU + " re-index messages arrived");
      ok &= Examples.check(early.isEmpty(), "no message arrived before its due time (" + CLOCK_SLACK.toMillis() + " ms clock slack)" + (early.isEmpty() ? "" : ": " + early));
      for (String sku : SKUS) {
        int count = reindexes.getOrDefault(sku, new AtomicInteger()).get();
        ok &= Examples.check(count == 1 && indexedQuantity.get(sku) == stockTable.get(sku).quantity(),
            sku + ": " + UPDATES_PER_SKU + " changes, " + count + " re-index, search shows the latest quantity "
            + indexedQuantity.get(sku));
      }
      return ok;
    }
  }
}
