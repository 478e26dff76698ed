package dev.vigil.tsdb.internal;

import dev.vigil.tsdb.Matcher;
import dev.vigil.tsdb.Querier;
import dev.vigil.tsdb.Series;
import java.util.List;
import java.util.Objects;

/** A querier over the head for a fixed time range; not thread-safe. */
final class HeadQuerier implements Querier {
  private final Head head;
  private final long min;
  private final long max;
  private boolean closed;

  HeadQuerier(Head head, long minTimeMillis, long maxTimeMillis) {
    this.head = head;
    this.min = minTimeMillis;
    this.max = maxTimeMillis;
  }

  @Override
  public List<Series> select(Matcher... matchers) {
    check(matchers);
    return List.copyOf(head.select(min, max, matchers));
  }

  @Override
  public List<String> labelNames(Matcher... matchers) {
    check(matchers);
    return head.labelNames(min, max, matchers);
  }

  @Override
  public List<String> labelValues(String name, Matcher... matchers) {
    Objects.requireNonNull(name, "name");
    check(matchers);
    return head.labelValues(name, min, max, matchers);
  }

  private void check(Matcher[] matchers) {
    if (closed) {
      throw new IllegalStateException("querier is closed");
    }
    for (Matcher m : matchers) {
      Objects.requireNonNull(m, "matcher");
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
