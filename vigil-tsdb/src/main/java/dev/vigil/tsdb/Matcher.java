package dev.vigil.tsdb;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A label matcher with Prometheus' semantics: {@code =}, {@code !=}, {@code =~}, {@code !~}.
 *
 * <p>Regular expressions are fully anchored and {@code .} matches newlines, as in Prometheus
 * ({@code ^(?s:regex)$}); Java's regex dialect stands in for RE2, which agree on everything but
 * exotic syntax. A series without the label has the empty value for it, so {@code foo=""}, {@code
 * foo!="bar"} and {@code foo=~"bar|"} match series that lack {@code foo}.
 *
 * <p>A final value class rather than a record: a record cannot hold the compiled pattern, and
 * compiling on every {@link #matches} costs about a microsecond.
 */
public final class Matcher {
  /** The four matcher kinds of PromQL. */
  public enum Type {
    /** {@code name="value"}. */
    EQUAL("="),
    /** {@code name!="value"}. */
    NOT_EQUAL("!="),
    /** {@code name=~"regex"}. */
    REGEX("=~"),
    /** {@code name!~"regex"}. */
    NOT_REGEX("!~");

    private final String operator;

    Type(String operator) {
      this.operator = operator;
    }

    /** The PromQL operator, such as {@code =~}. */
    public String operator() {
      return operator;
    }
  }

  private final Type type;
  private final String name;
  private final String value;
  private final Pattern pattern; // null unless a regex type

  private Matcher(Type type, String name, String value) {
    this.type = Objects.requireNonNull(type, "type");
    this.name = Objects.requireNonNull(name, "name");
    this.value = Objects.requireNonNull(value, () -> "value of matcher on " + name);
    this.pattern =
        type == Type.REGEX || type == Type.NOT_REGEX
            ? Pattern.compile(value, Pattern.DOTALL)
            : null;
  }

  /**
   * A matcher of the given type.
   *
   * @throws java.util.regex.PatternSyntaxException (an IllegalArgumentException) for an invalid
   *     regex
   */
  public static Matcher of(Type type, String name, String value) {
    return new Matcher(type, name, value);
  }

  /** {@code name="value"}. */
  public static Matcher equal(String name, String value) {
    return new Matcher(Type.EQUAL, name, value);
  }

  /** {@code name!="value"}. */
  public static Matcher notEqual(String name, String value) {
    return new Matcher(Type.NOT_EQUAL, name, value);
  }

  /** {@code name=~"regex"}, fully anchored. */
  public static Matcher regex(String name, String regex) {
    return new Matcher(Type.REGEX, name, regex);
  }

  /** {@code name!~"regex"}, fully anchored. */
  public static Matcher notRegex(String name, String regex) {
    return new Matcher(Type.NOT_REGEX, name, regex);
  }

  /** The kind of match. */
  public Type type() {
    return type;
  }

  /** The label name. */
  public String name() {
    return name;
  }

  /** The value or regular expression. */
  public String value() {
    return value;
  }

  /** Whether a label value matches; null (an absent label) counts as the empty string. */
  public boolean matches(String labelValue) {
    String v = labelValue == null ? "" : labelValue;
    switch (type) {
      case EQUAL:
        return v.equals(value);
      case NOT_EQUAL:
        return !v.equals(value);
      case REGEX:
        return pattern.matcher(v).matches();
      case NOT_REGEX:
        return !pattern.matcher(v).matches();
      default:
        throw new AssertionError(type);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Matcher)) {
      return false;
    }
    Matcher m = (Matcher) o;
    return type == m.type && name.equals(m.name) && value.equals(m.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, value);
  }

  /** PromQL form, such as {@code job=~"api|web"}. */
  @Override
  public String toString() {
    String escaped = value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    return name + type.operator + '"' + escaped + '"';
  }
}
