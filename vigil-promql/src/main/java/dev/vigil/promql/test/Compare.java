package dev.vigil.promql.test;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.promql.eval.Result;
import dev.vigil.promql.eval.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Compares a result with an expectation, per FORMAT.md §7. */
final class Compare {
  private static final double MIN_NORMAL = Double.MIN_NORMAL;
  private static final long STALE_BITS = 0x7ff0000000000002L;

  private Compare() {}

  /** util/almost.Equal with epsilon 1e-6. */
  static boolean almostEqual(double a, double b) {
    boolean as = Double.doubleToRawLongBits(a) == STALE_BITS;
    boolean bs = Double.doubleToRawLongBits(b) == STALE_BITS;
    if (as || bs) {
      return as && bs;
    }
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double absSum = Math.abs(a) + Math.abs(b);
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || absSum < MIN_NORMAL) {
      return diff < 1e-6 * MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < 1e-6;
  }

  static boolean matches(SeriesLine.Slot want, double value, Histogram h) {
    if (want.histogram() == null) {
      return h == null && almostEqual(value, want.value());
    }
    if (h == null) {
      return false;
    }
    Histogram w = want.histogram();
    if (w.schema() != h.schema()
        || w.zeroThreshold() != h.zeroThreshold()
        || !almostEqual(w.count(), h.count())
        || !almostEqual(w.sum(), h.sum())
        || !almostEqual(w.zeroCount(), h.zeroCount())) {
      return false;
    }
    return sameBuckets(positive(w), positive(h)) && sameBuckets(negative(w), negative(h));
  }

  private static Map<Integer, Double> positive(Histogram h) {
    Map<Integer, Double> m = new HashMap<>();
    for (int i = 0; i < h.positiveBucketCount(); i++) {
      if (h.positiveCount(i) != 0) {
        m.put(h.positiveIndex(i), h.positiveCount(i));
      }
    }
    return m;
  }

  private static Map<Integer, Double> negative(Histogram h) {
    Map<Integer, Double> m = new HashMap<>();
    for (int i = 0; i < h.negativeBucketCount(); i++) {
      if (h.negativeCount(i) != 0) {
        m.put(h.negativeIndex(i), h.negativeCount(i));
      }
    }
    return m;
  }

  private static boolean sameBuckets(Map<Integer, Double> a, Map<Integer, Double> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<Integer, Double> e : a.entrySet()) {
      if (!almostEqual(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  static String check(Expectation e, Result r) {
    if (e.warn && r.warnings().isEmpty()) {
      return "no warning; result " + describe(r.value());
    }
    if (e.noWarn && !r.warnings().isEmpty()) {
      return "unexpected warnings " + r.warnings();
    }
    if (e.info && r.infos().isEmpty()) {
      return "no info annotation; result " + describe(r.value());
    }
    if (e.noInfo && !r.infos().isEmpty()) {
      return "unexpected infos " + r.infos();
    }
    return checkValue(e, r.value());
  }

  /** The value part of {@link #check}, without annotations. */
  static String checkValue(Expectation e, Value v) {
    if (e.string != null) {
      if (v instanceof Value.Str s && s.value().equals(e.string)) {
        return null;
      }
      return describe(v);
    }
    if (e.scalar != null) {
      if (v instanceof Value.Scalar s && almostEqual(s.value(), e.scalar)) {
        return null;
      }
      return describe(v);
    }
    for (SeriesLine s : e.series) {
      if (s.labels() == null) {
        return "native histogram expectations are not supported; got " + describe(v);
      }
    }
    if (v instanceof Value.Vector vec) {
      if (e.rangeVector) {
        return "expected a range vector, got " + describe(v);
      }
      return checkVector(e, vec);
    }
    if (v instanceof Value.Matrix m) {
      return checkMatrix(e, m);
    }
    return "unexpected " + describe(v);
  }

  private static String checkVector(Expectation e, Value.Vector vec) {
    Map<Labels, SeriesLine> expected = new HashMap<>();
    for (SeriesLine s : e.series) {
      expected.put(s.labels(), s);
    }
    if (vec.samples().size() != e.series.size()) {
      return "got " + vec.samples().size() + " series: " + describe(vec);
    }
    int pos = 0;
    for (Value.Sample s : vec.samples()) {
      SeriesLine x = expected.get(s.labels());
      if (x == null) {
        return "unexpected series " + s.labels() + " in " + describe(vec);
      }
      if (e.ordered && !e.series.get(pos).labels().equals(s.labels())) {
        return "wrong order: " + describe(vec);
      }
      pos++;
      if (x.slots().size() != 1 || x.slots().get(0) == null) {
        return "bad expectation for " + s.labels();
      }
      if (!matches(x.slots().get(0), s.value(), s.histogram())) {
        return describe(vec);
      }
    }
    return null;
  }

  private static String checkMatrix(Expectation e, Value.Matrix m) {
    Map<Labels, SeriesLine> expected = new HashMap<>();
    for (SeriesLine s : e.series) {
      expected.put(s.labels(), s);
    }
    if (m.series().size() != e.series.size()) {
      return "got " + m.series().size() + " series: " + describe(m);
    }
    for (Value.SeriesPoints s : m.series()) {
      SeriesLine x = expected.get(s.labels());
      if (x == null) {
        return "unexpected series " + s.labels() + " in " + describe(m);
      }
      List<long[]> want = new ArrayList<>();
      List<SeriesLine.Slot> values = new ArrayList<>();
      for (int i = 0; i < x.slots().size(); i++) {
        if (x.slots().get(i) != null) {
          want.add(new long[] {e.start + i * e.step});
          values.add(x.slots().get(i));
        }
      }
      if (want.size() != s.points().size()) {
        return "series " + s.labels() + ": " + describe(m);
      }
      for (int i = 0; i < want.size(); i++) {
        Value.Point p = s.points().get(i);
        if (p.timestampMillis() != want.get(i)[0]
            || !matches(values.get(i), p.value(), p.histogram())) {
          return "series " + s.labels() + ": " + describe(m);
        }
      }
    }
    return null;
  }

  static String describe(Value v) {
    if (v instanceof Value.Scalar s) {
      return "scalar " + s.value();
    }
    if (v instanceof Value.Str s) {
      return "string \"" + s.value() + "\"";
    }
    StringBuilder sb = new StringBuilder();
    if (v instanceof Value.Vector vec) {
      sb.append("vector [");
      for (Value.Sample s : vec.samples()) {
        sb.append(s.labels())
            .append(' ')
            .append(s.histogram() != null ? s.histogram() : s.value())
            .append("; ");
      }
      return sb.append(']').toString();
    }
    Value.Matrix m = (Value.Matrix) v;
    sb.append("matrix [");
    for (Value.SeriesPoints s : m.series()) {
      sb.append(s.labels()).append(' ');
      for (Value.Point p : s.points()) {
        sb.append(p.histogram() != null ? "{{h}}" : String.valueOf(p.value()))
            .append('@')
            .append(p.timestampMillis() / 1000.0)
            .append(' ');
      }
      sb.append("; ");
    }
    return sb.append(']').toString();
  }
}
