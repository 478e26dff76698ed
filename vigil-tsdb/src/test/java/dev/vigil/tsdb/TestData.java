package dev.vigil.tsdb;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers shared by the storage tests. */
public final class TestData {
  /** 2023-11-14T22:13:20Z: a round, recent timestamp. */
  public static final long T0 = 1_700_000_000_000L;

  private TestData() {}

  /** One sample read back: a float or a histogram. */
  public record Sample(long t, double v, Histogram h) {
    public static Sample of(long t, double v) {
      return new Sample(t, v, null);
    }

    public static Sample of(long t, Histogram h) {
      return new Sample(t, 0, h);
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Sample)) {
        return false;
      }
      Sample s = (Sample) o;
      return t == s.t
          && Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(s.v)
          && java.util.Objects.equals(h, s.h);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(t);
    }

    @Override
    public String toString() {
      return t + "=" + (h == null ? Double.toString(v) : h.toString());
    }
  }

  public static Labels series(String name, String... labels) {
    String[] all = new String[labels.length + 2];
    all[0] = Labels.METRIC_NAME;
    all[1] = name;
    System.arraycopy(labels, 0, all, 2, labels.length);
    return Labels.of(all);
  }

  /** A histogram with integral counts from a few observations. */
  public static Histogram histogram(double... observations) {
    var b = Histogram.builder(3);
    for (double o : observations) {
      b.observe(o);
    }
    return b.build();
  }

  /** Every sample in [min, max], by series, in order. */
  public static Map<Labels, List<Sample>> readAll(Storage storage, long min, long max) {
    Map<Labels, List<Sample>> all = new LinkedHashMap<>();
    try (Querier q = storage.querier(min, max)) {
      for (Series s : q.select()) {
        all.put(s.labels(), samples(s));
      }
    }
    return all;
  }

  /** Every sample of all time, by series. */
  public static Map<Labels, List<Sample>> readAll(Storage storage) {
    return readAll(storage, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  public static List<Sample> samples(Series s) {
    List<Sample> out = new ArrayList<>();
    SampleCursor c = s.cursor();
    while (c.next()) {
      out.add(
          c.isHistogram()
              ? Sample.of(c.timestampMillis(), c.histogram())
              : Sample.of(c.timestampMillis(), c.value()));
    }
    return out;
  }
}
