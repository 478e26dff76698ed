package dev.vigil.promql;

import java.util.Locale;

/** The aggregation operators of PromQL 3. */
public enum AggregationOp {
  SUM(null, false),
  AVG(null, false),
  COUNT(null, false),
  MIN(null, false),
  MAX(null, false),
  GROUP(null, false),
  STDDEV(null, false),
  STDVAR(null, false),
  TOPK(ValueType.SCALAR, false),
  BOTTOMK(ValueType.SCALAR, false),
  COUNT_VALUES(ValueType.STRING, false),
  QUANTILE(ValueType.SCALAR, false),
  LIMITK(ValueType.SCALAR, true),
  LIMIT_RATIO(ValueType.SCALAR, true);

  private final ValueType paramType;
  private final boolean experimental;

  AggregationOp(ValueType paramType, boolean experimental) {
    this.paramType = paramType;
    this.experimental = experimental;
  }

  /** The keyword as written in PromQL ({@code count_values}). */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the operator takes a parameter before the vector. */
  public boolean hasParam() {
    return paramType != null;
  }

  /** The type of the parameter, or null if there is none. */
  public ValueType paramType() {
    return paramType;
  }

  /** Experimental in Prometheus 3 ({@code limitk}, {@code limit_ratio}). */
  public boolean experimental() {
    return experimental;
  }

  /** The operator of a keyword, case-insensitive, or null. */
  public static AggregationOp ofKeyword(String word) {
    String lower = word.toLowerCase(Locale.ROOT);
    for (AggregationOp op : values()) {
      if (op.keyword().equals(lower)) {
        return op;
      }
    }
    return null;
  }
}
