package io.unimq.testbrokers;

/**
 * A small-disk broker for the disk-full fault: one broker of a kind, on ports of its own, whose state is
 * on a tmpfs of its own ({@code scripts/brokers up <broker>-small-disk}), so that filling its disk never
 * touches the shared brokers. Started on first use by {@link #uri()}; {@link #fill()} and
 * {@link #unfill()} fill and free its disk through {@code scripts/brokers}; {@link #downIfStarted()}
 * stops it (and unmounts its disk) when this JVM started it. Thread-safe.
 */
public final class SmallDisk {
    private final String broker;
    private final String topology;
    private boolean checked;
    private boolean started;

    /** {@code broker}: redis, rabbitmq, kafka or rocketmq. */
    public SmallDisk(String broker) {
        this.broker = broker;
        this.topology = broker + "-small-disk";
        if (!BrokerControl.SMALL_DISKS.contains(topology)) {
            throw new IllegalArgumentException("no small-disk topology for '" + broker + "', known: " + BrokerControl.SMALL_DISKS);
        }
    }

    /** The broker's URI (ports from {@code scripts/brokers.env}), once it answers; starts it the first time. */
    public synchronized String uri() {
        if (!checked) {
            try {
                BrokerControl.run("status", topology);
            } catch (IllegalStateException down) {
                BrokerControl.upSmallDisk(topology);
                started = true;
            }
            checked = true;
        }
        String h = "127.0.0.1";
        return switch (broker) {
            case "redis" -> "redis://" + h + ":" + TestBrokers.env("REDIS_SMALL_DISK_PORT") + "/0";
            case "rabbitmq" -> "rabbitmq://" + TestBrokers.env("RABBITMQ_USER") + ":" + TestBrokers.env("RABBITMQ_PASS") + "@" + h
                    + ":" + TestBrokers.env("RABBITMQ_SMALL_DISK_PORT") + "/%2F?managementPort="
                    + TestBrokers.env("RABBITMQ_SMALL_DISK_MGMT_PORT");
            case "kafka" -> "kafka://" + h + ":" + TestBrokers.env("KAFKA_SMALL_DISK_PORT");
            case "rocketmq" -> "rocketmq://" + h + ":" + TestBrokers.env("ROCKETMQ_SMALL_DISK_PROXY_GRPC_PORT") + "?namesrv=" + h
                    + ":" + TestBrokers.env("ROCKETMQ_SMALL_DISK_NAMESRV_PORT");
            default -> throw new IllegalStateException(broker);
        };
    }

    /** Fills its disk: the broker sees a full disk. */
    public void fill() {
        BrokerControl.fill(topology);
    }

    /** Frees its disk; returns when the broker answers again. */
    public void unfill() {
        BrokerControl.unfill(topology);
    }

    /**
     * A file the running broker writes on its small disk, {@code relative} to its node directory
     * ({@code .brokers/<broker>-small-disk/node1} beside {@code scripts/brokers}); for example its logs.
     */
    public java.nio.file.Path file(String relative) {
        return BrokerControl.script().toAbsolutePath().getParent().getParent().resolve(".brokers").resolve(topology)
                .resolve("node1").resolve(relative);
    }

    /** Stops the broker and unmounts its disk, if {@link #uri()} started it. */
    public synchronized void downIfStarted() {
        if (started) {
            started = false;
            checked = false;
            BrokerControl.downSmallDisk(topology);
        }
    }
}
