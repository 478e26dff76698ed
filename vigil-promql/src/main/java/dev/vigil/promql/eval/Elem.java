package dev.vigil.promql.eval;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;

/** One element of an instant vector at one step, with Prometheus 3's delayed name removal flag. */
record Elem(Labels labels, boolean dropName, double f, Histogram h) {
  Elem withValue(double value) {
    return new Elem(labels, dropName, value, null);
  }
}
