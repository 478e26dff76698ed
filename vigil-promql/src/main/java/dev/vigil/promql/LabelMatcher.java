package dev.vigil.promql;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One label matcher of a vector selector: {@code name = "v"}, {@code !=}, {@code =~} or {@code !~}.
 * Regular expressions are anchored at both ends, as in Prometheus, and checked against RE2's syntax
 * when the matcher is made (see {@link Re2}). Equality is on name, type and value.
 */
public final class LabelMatcher {

  /** The four match operators. */
  public enum MatchType {
    EQUAL("="),
    NOT_EQUAL("!="),
    REGEX("=~"),
    NOT_REGEX("!~");

    private final String symbol;

    MatchType(String symbol) {
      this.symbol = symbol;
    }

    /** The operator as written. */
    public String symbol() {
      return symbol;
    }

    /** Whether the value is a regular expression. */
    public boolean isRegex() {
      return this == REGEX || this == NOT_REGEX;
    }
  }

  /** The label that holds the metric name. */
  public static final String METRIC_NAME = "__name__";

  private final String name;
  private final MatchType type;
  private final String value;
  private final Pattern pattern;

  private LabelMatcher(String name, MatchType type, String value, Pattern pattern) {
    this.name = name;
    this.type = type;
    this.value = value;
    this.pattern = pattern;
  }

  /**
   * A matcher.
   *
   * @throws IllegalArgumentException if a regex value is not valid RE2 syntax, with RE2's wording
   *     ({@code error parsing regexp: ...})
   */
  public static LabelMatcher of(String name, MatchType type, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    Pattern pattern = type.isRegex() ? Re2.compileAnchored(value) : null;
    return new LabelMatcher(name, type, value, pattern);
  }

  /** {@code name="value"}. */
  public static LabelMatcher equal(String name, String value) {
    return of(name, MatchType.EQUAL, value);
  }

  public String name() {
    return name;
  }

  public MatchType type() {
    return type;
  }

  public String value() {
    return value;
  }

  /** Whether a label value (the empty string for an absent label) satisfies this matcher. */
  public boolean matches(String labelValue) {
    return switch (type) {
      case EQUAL -> value.equals(labelValue);
      case NOT_EQUAL -> !value.equals(labelValue);
      case REGEX -> pattern.matcher(labelValue).matches();
      case NOT_REGEX -> !pattern.matcher(labelValue).matches();
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelMatcher m
        && name.equals(m.name)
        && type == m.type
        && value.equals(m.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, value);
  }

  /** The matcher in PromQL syntax. */
  @Override
  public String toString() {
    return Printer.labelName(name) + type.symbol() + GoStrings.quote(value);
  }
}
