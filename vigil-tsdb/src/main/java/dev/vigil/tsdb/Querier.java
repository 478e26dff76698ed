package dev.vigil.tsdb;

import java.util.List;

/**
 * Reads series and labels within the time range the querier was opened for; not thread-safe.
 *
 * <p>Each {@link #select} is a consistent snapshot per series taken when it is called: samples
 * committed later are not seen by the returned series.
 */
public interface Querier extends AutoCloseable {
  /**
   * Series matching every matcher (all series if none is given) that have at least one sample in
   * the range, sorted by labels.
   */
  List<Series> select(Matcher... matchers);

  /** Sorted label names of the series matching every matcher with samples around the range. */
  List<String> labelNames(Matcher... matchers);

  /** Sorted values of label {@code name} among the series matching every matcher. */
  List<String> labelValues(String name, Matcher... matchers);

  /** Releases what the querier holds; it fails afterwards. */
  @Override
  void close();
}
