package dev.vigil.tsdb;

import java.io.IOException;

/**
 * A time series store: appenders write samples, queriers read them back.
 *
 * <p>Implementations are thread-safe: any number of threads may hold appenders and queriers at
 * once. Each appender and querier is itself meant for one thread at a time.
 */
public interface Storage extends AutoCloseable {
  /** A new appender, which buffers samples until {@link Appender#commit()}. */
  Appender appender();

  /** A querier over the samples with timestamps in [minTimeMillis, maxTimeMillis], inclusive. */
  Querier querier(long minTimeMillis, long maxTimeMillis);

  /** Counters and gauges describing the store, for monitoring it. */
  StorageStats stats();

  /** Flushes and releases files and threads; appenders and queriers fail afterwards. */
  @Override
  void close() throws IOException;
}
