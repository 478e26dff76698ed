package dev.vigil.promql.eval;

import dev.vigil.model.Labels;
import dev.vigil.promql.AggregationOp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code sum}, {@code count}, {@code group}, {@code min} and {@code max} over float-only input: the
 * group of each series is computed once for the whole range, and the groups accumulate into arrays
 * over the steps, without per-step objects. Same results, in the same order, as the general path.
 */
final class FastAggregation {
  private FastAggregation() {}

  static boolean handles(AggregationOp op, List<Steps> input) {
    switch (op) {
      case SUM, COUNT, GROUP, MIN, MAX -> {}
      default -> {
        return false;
      }
    }
    for (Steps s : input) {
      for (Object h : s.h) {
        if (h != null) {
          return false;
        }
      }
    }
    return true;
  }

  private static final class Group {
    final Steps out;
    final double[] compensation;

    Group(Labels key, boolean dropName, int n) {
      out = new Steps(key, dropName, n);
      compensation = new double[n];
    }
  }

  static List<Steps> aggregate(
      AggregationOp op, List<Steps> input, Set<String> grouping, boolean without, int n) {
    Map<Labels, Group> groups = new LinkedHashMap<>();
    Group[] groupOf = new Group[input.size()];
    for (int k = 0; k < input.size(); k++) {
      Steps s = input.get(k);
      Labels key = AggregateEval.groupKey(s.labels, grouping, without);
      groupOf[k] = groups.computeIfAbsent(key, l -> new Group(l, false, n));
    }
    // A group keeping __name__ (by (__name__)) drops it later if any member had it dropped.
    Map<Labels, Boolean> drop = new LinkedHashMap<>();
    for (int k = 0; k < input.size(); k++) {
      Steps s = input.get(k);
      if (s.dropName && groupOf[k].out.labels.get(Labels.METRIC_NAME) != null) {
        drop.put(groupOf[k].out.labels, true);
      }
    }
    double[] sc = new double[2];
    for (int k = 0; k < input.size(); k++) {
      Steps s = input.get(k);
      Group g = groupOf[k];
      double[] acc = g.out.f;
      boolean[] has = g.out.has;
      for (int i = 0; i < n; i++) {
        if (!s.has[i]) {
          continue;
        }
        double v = s.f[i];
        if (!has[i]) {
          has[i] = true;
          acc[i] =
              switch (op) {
                case COUNT, GROUP -> 1;
                default -> v;
              };
          continue;
        }
        switch (op) {
          case SUM -> {
            sc[0] = acc[i];
            sc[1] = g.compensation[i];
            GoMath.kahanInc(v, sc);
            acc[i] = sc[0];
            g.compensation[i] = sc[1];
          }
          case COUNT -> acc[i]++;
          case GROUP -> {}
          case MIN -> {
            if (acc[i] > v || Double.isNaN(acc[i])) {
              acc[i] = v;
            }
          }
          case MAX -> {
            if (acc[i] < v || Double.isNaN(acc[i])) {
              acc[i] = v;
            }
          }
          default -> throw new IllegalStateException(op.toString());
        }
      }
    }
    List<Steps> out = new ArrayList<>();
    for (Group g : groups.values()) {
      Steps r = g.out;
      if (op == AggregationOp.SUM) {
        for (int i = 0; i < n; i++) {
          r.f[i] += g.compensation[i];
        }
      }
      if (drop.containsKey(r.labels)) {
        Steps d = new Steps(r.labels, true, n);
        System.arraycopy(r.f, 0, d.f, 0, n);
        System.arraycopy(r.has, 0, d.has, 0, n);
        r = d;
      }
      out.add(r);
    }
    return out;
  }
}
