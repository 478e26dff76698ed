package dev.vigil.promql;

import static dev.vigil.promql.ValueType.MATRIX;
import static dev.vigil.promql.ValueType.SCALAR;
import static dev.vigil.promql.ValueType.STRING;
import static dev.vigil.promql.ValueType.VECTOR;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The function table of Prometheus 3 ({@code promql/parser/functions.go}): every function with its
 * argument types, variadic count, return type and experimental flag. {@code holt_winters} is gone
 * (renamed {@code double_exponential_smoothing} in 3.0).
 */
public final class Functions {

  private static final Map<String, Function> BY_NAME = new TreeMap<>();

  static {
    add(new Function("abs", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("absent", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("absent_over_time", List.of(MATRIX), 0, VECTOR, false));
    add(new Function("acos", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("acosh", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("asin", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("asinh", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("atan", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("atanh", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("avg_over_time", List.of(MATRIX), 0, VECTOR, false));
    add(new Function("ceil", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("changes", List.of(MATRIX), 0, VECTOR, false));
    add(new Function("clamp", List.of(VECTOR, SCALAR, SCALAR), 0, VECTOR, false));
    add(new Function("clamp_max", List.of(VECTOR, SCALAR), 0, VECTOR, false));
    add(new Function("clamp_min", List.of(VECTOR, SCALAR), 0, VECTOR, false));
    add(new Function("cos", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("cosh", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("count_over_time", List.of(MATRIX), 0, VECTOR, false));
    add(new Function("days_in_month", List.of(VECTOR), 1, VECTOR, false));
    add(new Function("day_of_month", List.of(VECTOR), 1, VECTOR, false));
    add(new Function("day_of_week", List.of(VECTOR), 1, VECTOR, false));
    add(new Function("day_of_year", List.of(VECTOR), 1, VECTOR, false));
    add(new Function("deg", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("delta", List.of(MATRIX), 0, VECTOR, false));
    add(new Function("deriv", List.of(MATRIX), 0, VECTOR, false));
    add(
        new Function(
            "double_exponential_smoothing", List.of(MATRIX, SCALAR, SCALAR), 0, VECTOR, true));
    add(new Function("end", List.of(), 0, SCALAR, true));
    add(new Function("exp", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("first_over_time", List.of(MATRIX), 0, VECTOR, true));
    add(new Function("floor", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("histogram_avg", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("histogram_count", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("histogram_fraction", List.of(SCALAR, SCALAR, VECTOR), 0, VECTOR, false));
    add(new Function("histogram_quantile", List.of(SCALAR, VECTOR), 0, VECTOR, false));
    add(
        new Function(
            "histogram_quantiles", List.of(VECTOR, STRING, SCALAR, SCALAR), 9, VECTOR, true));
    add(new Function("histogram_stddev", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("histogram_stdvar", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("histogram_sum", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("hour", List.of(VECTOR), 1, VECTOR, false));
    add(new Function("idelta", List.of(MATRIX), 0, VECTOR, false));
    add(new Function("increase", List.of(MATRIX), 0, VECTOR, false));
    add(new Function("info", List.of(VECTOR, VECTOR), 1, VECTOR, true));
    add(new Function("integral", List.of(MATRIX, SCALAR), 1, VECTOR, true));
    add(new Function("irate", List.of(MATRIX), 0, VECTOR, false));
    add(new Function("label_join", List.of(VECTOR, STRING, STRING, STRING), -1, VECTOR, false));
    add(
        new Function(
            "label_replace", List.of(VECTOR, STRING, STRING, STRING, STRING), 0, VECTOR, false));
    add(new Function("last_over_time", List.of(MATRIX), 0, VECTOR, false));
    add(new Function("ln", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("log10", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("log2", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("mad_over_time", List.of(MATRIX), 0, VECTOR, true));
    add(new Function("max_of", List.of(SCALAR, SCALAR), 0, SCALAR, true));
    add(new Function("max_over_time", List.of(MATRIX), 0, VECTOR, false));
    add(new Function("min_of", List.of(SCALAR, SCALAR), 0, SCALAR, true));
    add(new Function("min_over_time", List.of(MATRIX), 0, VECTOR, false));
    add(new Function("minute", List.of(VECTOR), 1, VECTOR, false));
    add(new Function("month", List.of(VECTOR), 1, VECTOR, false));
    add(new Function("pi", List.of(), 0, SCALAR, false));
    add(new Function("predict_linear", List.of(MATRIX, SCALAR), 0, VECTOR, false));
    add(new Function("present_over_time", List.of(MATRIX), 0, VECTOR, false));
    add(new Function("quantile_over_time", List.of(SCALAR, MATRIX), 0, VECTOR, false));
    add(new Function("rad", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("range", List.of(), 0, SCALAR, true));
    add(new Function("rate", List.of(MATRIX), 0, VECTOR, false));
    add(new Function("resets", List.of(MATRIX), 0, VECTOR, false));
    add(new Function("round", List.of(VECTOR, SCALAR), 1, VECTOR, false));
    add(new Function("scalar", List.of(VECTOR), 0, SCALAR, false));
    add(new Function("sgn", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("sin", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("sinh", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("sort", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("sort_by_label", List.of(VECTOR, STRING), -1, VECTOR, true));
    add(new Function("sort_by_label_desc", List.of(VECTOR, STRING), -1, VECTOR, true));
    add(new Function("sort_desc", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("sqrt", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("start", List.of(), 0, SCALAR, true));
    add(new Function("stddev_over_time", List.of(MATRIX), 0, VECTOR, false));
    add(new Function("stdvar_over_time", List.of(MATRIX), 0, VECTOR, false));
    add(new Function("step", List.of(), 0, SCALAR, true));
    add(new Function("sum_over_time", List.of(MATRIX), 0, VECTOR, false));
    add(new Function("tan", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("tanh", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("time", List.of(), 0, SCALAR, false));
    add(new Function("timestamp", List.of(VECTOR), 0, VECTOR, false));
    add(new Function("ts_of_first_over_time", List.of(MATRIX), 0, VECTOR, true));
    add(new Function("ts_of_last_over_time", List.of(MATRIX), 0, VECTOR, true));
    add(new Function("ts_of_max_over_time", List.of(MATRIX), 0, VECTOR, true));
    add(new Function("ts_of_min_over_time", List.of(MATRIX), 0, VECTOR, true));
    add(new Function("vector", List.of(SCALAR), 0, VECTOR, false));
    add(new Function("year", List.of(VECTOR), 1, VECTOR, false));
  }

  private Functions() {}

  private static void add(Function f) {
    BY_NAME.put(f.name(), f);
  }

  /** The function of that exact name, or null. */
  public static Function get(String name) {
    return BY_NAME.get(name);
  }

  /** Every function, by name. */
  public static Map<String, Function> all() {
    return Collections.unmodifiableMap(BY_NAME);
  }
}
