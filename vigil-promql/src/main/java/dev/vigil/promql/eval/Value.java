package dev.vigil.promql.eval;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import java.util.List;

/** The result of a query: a scalar, a string, an instant vector or a range vector (matrix). */
public sealed interface Value permits Value.Scalar, Value.Str, Value.Vector, Value.Matrix {

  /** A number at a time. */
  record Scalar(long timestampMillis, double value) implements Value {}

  /** A string at a time. */
  record Str(long timestampMillis, String value) implements Value {}

  /** One sample of an instant vector: a float, or a histogram when {@code histogram} is set. */
  record Sample(Labels labels, long timestampMillis, double value, Histogram histogram) {}

  /** An instant vector, in the order the query produced it. */
  record Vector(List<Sample> samples) implements Value {}

  /** One point of a series in a matrix: a float, or a histogram when {@code histogram} is set. */
  record Point(long timestampMillis, double value, Histogram histogram) {}

  /** One series of a matrix with its points in time order. */
  record SeriesPoints(Labels labels, List<Point> points) {}

  /** A range vector, series sorted by labels. */
  record Matrix(List<SeriesPoints> series) implements Value {}
}
