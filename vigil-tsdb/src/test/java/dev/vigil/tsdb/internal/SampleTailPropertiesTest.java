package dev.vigil.tsdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The float tail, whose older samples are compressed, against a sorted map: appends in order, late
 * inserts, overwrites, merges, lookups, removals from the front and range copies.
 */
class SampleTailPropertiesTest {

  /** One operation: kind, a timestamp choice and a value. */
  record Op(int kind, long pick, double value) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Integer> kinds =
        Arbitraries.frequency(
            List.of(
                net.jqwik.api.Tuple.of(12, 0), // append after the newest
                net.jqwik.api.Tuple.of(2, 1), // set at any earlier time (late or duplicate)
                net.jqwik.api.Tuple.of(2, 2), // merge into any time
                net.jqwik.api.Tuple.of(2, 3), // look up
                net.jqwik.api.Tuple.of(1, 4), // remove samples before a time
                net.jqwik.api.Tuple.of(1, 5))); // merge into the newest
    Arbitrary<Double> values =
        Arbitraries.oneOf(
            Arbitraries.doubles(),
            Arbitraries.of(
                0.0, -0.0, Double.NaN, 1.0, Double.longBitsToDouble(0x7ff0000000000002L)));
    return Combinators.combine(kinds, Arbitraries.longs().between(0, 1_000_000), values)
        .as(Op::new)
        .list()
        .ofMaxSize(400);
  }

  // Values compare as Double.equals does (every NaN equal): the JIT may swap the operands of a
  // merge's addition, which changes which NaN payload a sum of two NaNs carries.
  @Property(tries = 300)
  void behavesAsASortedMap(@ForAll("ops") List<Op> ops) {
    SampleTail tail = new SampleTail(false);
    TreeMap<Long, Double> model = new TreeMap<>();
    long newest = 1_000;
    for (Op op : ops) {
      long any = newest <= 0 ? 0 : op.pick() % (newest + 1);
      switch (op.kind()) {
        case 0 -> {
          newest += 1 + op.pick() % 30_000;
          put(tail, newest, op.value());
          model.put(newest, op.value());
        }
        case 1 -> {
          put(tail, any, op.value());
          model.put(any, op.value());
        }
        case 2, 5 -> {
          long t = op.kind() == 5 && !model.isEmpty() ? model.lastKey() : any;
          int i = tail.find(t);
          if (i >= 0) {
            tail.set(i, tail.value(i) + op.value(), null);
          } else {
            tail.insert(-i - 1, t, op.value(), null);
          }
          model.merge(t, op.value(), Double::sum);
        }
        case 3 -> {
          int i = tail.find(any);
          Double want = model.get(any);
          if (want == null) {
            assertThat(i).isNegative();
            assertThat(-i - 1).isEqualTo(model.headMap(any).size());
          } else {
            assertThat(i).isEqualTo(model.headMap(any).size());
            assertThat(Double.doubleToLongBits(tail.value(i)))
                .isEqualTo(Double.doubleToLongBits(want));
          }
        }
        case 4 -> {
          int n = tail.firstAtOrAfter(any);
          assertThat(n).isEqualTo(model.headMap(any).size());
          tail.removeFirst(n);
          model.headMap(any).clear();
        }
        default -> throw new AssertionError(op);
      }
      assertSame(tail, model, op.pick());
    }
  }

  private static void put(SampleTail tail, long t, double v) {
    int i = tail.find(t);
    if (i >= 0) {
      tail.set(i, v, null);
    } else {
      tail.insert(-i - 1, t, v, null);
    }
  }

  private static void assertSame(SampleTail tail, TreeMap<Long, Double> model, long pick) {
    int n = model.size();
    assertThat(tail.size()).isEqualTo(n);
    List<Long> ts = new ArrayList<>(model.keySet());
    long[] gotTs = tail.copyTimestamps(0, n);
    double[] gotVs = tail.copyValues(0, n);
    int j = 0;
    for (Map.Entry<Long, Double> e : model.entrySet()) {
      assertThat(gotTs[j]).isEqualTo(e.getKey());
      assertThat(Double.doubleToLongBits(gotVs[j]))
          .isEqualTo(Double.doubleToLongBits(e.getValue()));
      j++;
    }
    if (n > 0) {
      assertThat(tail.timestamp(0)).isEqualTo(ts.get(0));
      assertThat(tail.timestamp(n - 1)).isEqualTo(ts.get(n - 1));
      int from = (int) (pick % n);
      int to = from + (int) ((pick / 7) % (n - from + 1));
      long[] part = tail.copyTimestamps(from, to);
      double[] partValues = tail.copyValues(from, to);
      assertThat(part).hasSize(to - from);
      for (int k = from; k < to; k++) {
        assertThat(part[k - from]).isEqualTo(ts.get(k));
        assertThat(Double.doubleToLongBits(partValues[k - from]))
            .isEqualTo(Double.doubleToLongBits(model.get(ts.get(k))));
      }
      long probe = ts.get(0) + pick % (ts.get(n - 1) - ts.get(0) + 2);
      assertThat(tail.firstAtOrAfter(probe)).isEqualTo(model.headMap(probe).size());
    }
  }

  @Test
  void inOrderFloatsAreHeldCompressed() {
    SampleTail tail = new SampleTail(false);
    for (int i = 0; i < 240; i++) {
      tail.insert(i, 1_000_000L + 15_000L * i, 100 + i, null);
    }
    // An hour at 15 s: about 2 bytes a sample compressed plus the uncompressed latest few, where
    // the arrays alone would take 16 bytes a sample.
    assertThat(tail.size()).isEqualTo(240);
    assertThat(tail.estimatedBytes()).isLessThan(1_200);
    assertThat(tail.copyValues(239, 240)).containsExactly(339.0);
  }
}
