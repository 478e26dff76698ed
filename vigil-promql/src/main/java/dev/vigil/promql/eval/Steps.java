package dev.vigil.promql.eval;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;

/** One series of an instant-vector expression over every evaluation step of a query. */
final class Steps {
  final Labels labels;
  final boolean dropName;
  final double[] f;
  final Histogram[] h;
  final boolean[] has;

  Steps(Labels labels, boolean dropName, int n) {
    this.labels = labels;
    this.dropName = dropName;
    this.f = new double[n];
    this.h = new Histogram[n];
    this.has = new boolean[n];
  }

  void set(int step, double value, Histogram histogram) {
    f[step] = value;
    h[step] = histogram;
    has[step] = true;
  }
}
