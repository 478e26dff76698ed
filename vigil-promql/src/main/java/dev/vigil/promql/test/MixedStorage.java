package dev.vigil.promql.test;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.Matcher;
import dev.vigil.tsdb.Querier;
import dev.vigil.tsdb.SampleCursor;
import dev.vigil.tsdb.Series;
import dev.vigil.tsdb.Storage;
import dev.vigil.tsdb.StorageStats;
import dev.vigil.tsdb.Tsdb;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A {@link Tsdb} plus an in-memory side store for the samples a Tsdb series cannot hold: Prometheus
 * lets one series alternate between floats and histograms, and the scripts rely on it, while a
 * vigil-tsdb series holds one kind. The first kind a series receives goes to the Tsdb, the other to
 * the side store; queries merge both by timestamp.
 */
final class MixedStorage implements Storage {
  private final Tsdb tsdb;
  private final Map<Labels, Boolean> kinds = new HashMap<>();
  private final Map<Labels, TreeMap<Long, Object>> side = new HashMap<>();

  MixedStorage(Tsdb tsdb) {
    this.tsdb = tsdb;
  }

  /** Adds one series' samples (Double or Histogram values) in one commit. */
  void load(Map<Labels, List<Object[]>> samples) throws IOException {
    Appender app = tsdb.appender();
    for (Map.Entry<Labels, List<Object[]>> e : samples.entrySet()) {
      for (Object[] s : e.getValue()) {
        long t = (Long) s[0];
        boolean hist = s[1] instanceof Histogram;
        Boolean kind = kinds.putIfAbsent(e.getKey(), hist);
        if (kind == null || kind == hist) {
          if (hist) {
            app.addHistogram(e.getKey(), t, (Histogram) s[1]);
          } else {
            app.add(e.getKey(), t, (Double) s[1]);
          }
        } else {
          side.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).put(t, s[1]);
        }
      }
    }
    try {
      app.commit();
    } catch (RuntimeException ex) {
      app.rollback();
      throw ex;
    }
  }

  @Override
  public Appender appender() {
    return tsdb.appender();
  }

  @Override
  public Querier querier(long minTimeMillis, long maxTimeMillis) {
    Querier inner = tsdb.querier(minTimeMillis, maxTimeMillis);
    return new Querier() {
      @Override
      public List<Series> select(Matcher... matchers) {
        Map<Labels, Series> merged = new TreeMap<>();
        for (Series s : inner.select(matchers)) {
          merged.put(s.labels(), s);
        }
        for (Map.Entry<Labels, TreeMap<Long, Object>> e : side.entrySet()) {
          if (!matches(e.getKey(), matchers)) {
            continue;
          }
          NavigableMap<Long, Object> window =
              e.getValue().subMap(minTimeMillis, true, maxTimeMillis, true);
          if (window.isEmpty()) {
            continue;
          }
          Series base = merged.get(e.getKey());
          TreeMap<Long, Object> all = new TreeMap<>(window);
          if (base != null) {
            SampleCursor c = base.cursor();
            while (c.next()) {
              all.put(c.timestampMillis(), c.isHistogram() ? c.histogram() : (Object) c.value());
            }
          }
          merged.put(e.getKey(), new MemorySeries(e.getKey(), all));
        }
        return new ArrayList<>(merged.values());
      }

      @Override
      public List<String> labelNames(Matcher... matchers) {
        return inner.labelNames(matchers);
      }

      @Override
      public List<String> labelValues(String name, Matcher... matchers) {
        return inner.labelValues(name, matchers);
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }

  private static boolean matches(Labels l, Matcher... matchers) {
    for (Matcher m : matchers) {
      String v = l.get(m.name());
      if (!m.matches(v == null ? "" : v)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public StorageStats stats() {
    return tsdb.stats();
  }

  @Override
  public void close() throws IOException {
    tsdb.close();
  }

  private record MemorySeries(Labels labels, TreeMap<Long, Object> samples) implements Series {
    @Override
    public SampleCursor cursor() {
      List<Map.Entry<Long, Object>> list = new ArrayList<>(samples.entrySet());
      return new SampleCursor() {
        private int i = -1;

        @Override
        public boolean next() {
          return ++i < list.size();
        }

        @Override
        public long timestampMillis() {
          return list.get(i).getKey();
        }

        @Override
        public boolean isHistogram() {
          return list.get(i).getValue() instanceof Histogram;
        }

        @Override
        public double value() {
          return (Double) list.get(i).getValue();
        }

        @Override
        public Histogram histogram() {
          return (Histogram) list.get(i).getValue();
        }
      };
    }
  }
}
