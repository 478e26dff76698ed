package dev.vigil.model;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * An immutable set of name/value pairs identifying a series, sorted by name, as in Prometheus.
 *
 * <p>Names follow Prometheus' classic rules ({@code [a-zA-Z_][a-zA-Z0-9_]*}); the value of {@code
 * __name__} must be a valid metric name ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}). A label with an empty
 * value is the same as no label, so it is dropped on construction, as Prometheus does.
 */
public final class Labels implements Comparable<Labels> {
  /** Name of the label holding the metric name. */
  public static final String METRIC_NAME = "__name__";

  private static final Labels EMPTY = new Labels(new String[0], new String[0]);

  private final String[] names;
  private final String[] values;
  private final int hash;

  private Labels(String[] names, String[] values) {
    this.names = names;
    this.values = values;
    // Computed once: Labels are map keys in every series index, and hashing is on the hot path.
    int h = 1;
    for (int i = 0; i < names.length; i++) {
      h = 31 * (31 * h + names[i].hashCode()) + values[i].hashCode();
    }
    this.hash = h;
  }

  /** The labels with no pairs. */
  public static Labels empty() {
    return EMPTY;
  }

  /**
   * Labels from alternating names and values, in any order: {@code of("job", "api", "env",
   * "prod")}.
   *
   * @throws IllegalArgumentException on an odd argument count, an invalid or duplicate name, or an
   *     invalid metric name
   */
  public static Labels of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "names and values must come in pairs, got " + namesAndValues.length + " strings");
    }
    TreeMap<String, String> map = new TreeMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String name = namesAndValues[i];
      String value = namesAndValues[i + 1];
      check(name, value);
      if (map.put(name, value) != null) {
        throw new IllegalArgumentException("duplicate label name: " + quote(name));
      }
    }
    return fromSortedMap(map);
  }

  /** A builder; later {@code put}s of the same name replace earlier ones. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether {@code name} is a valid label name: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
  public static boolean isValidLabelName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = isAsciiLetter(c) || c == '_' || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code name} is a valid metric name: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
  public static boolean isValidMetricName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = isAsciiLetter(c) || c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The value of label {@code name}, or null when there is no such label. */
  public String get(String name) {
    int i = Arrays.binarySearch(names, name);
    return i >= 0 ? values[i] : null;
  }

  /** Number of pairs. */
  public int size() {
    return names.length;
  }

  /** Name of the {@code i}-th pair in name order. */
  public String name(int i) {
    return names[i];
  }

  /** Value of the {@code i}-th pair in name order. */
  public String value(int i) {
    return values[i];
  }

  /** A copy with label {@code name} set to {@code value}; an empty value removes the label. */
  public Labels with(String name, String value) {
    check(name, value);
    if (value.isEmpty()) {
      return without(name);
    }
    int i = Arrays.binarySearch(names, name);
    if (i >= 0) {
      if (values[i].equals(value)) {
        return this;
      }
      String[] newValues = values.clone();
      newValues[i] = value.intern();
      return new Labels(names, newValues);
    }
    int at = -i - 1;
    String[] newNames = new String[names.length + 1];
    String[] newValues = new String[names.length + 1];
    System.arraycopy(names, 0, newNames, 0, at);
    System.arraycopy(values, 0, newValues, 0, at);
    newNames[at] = name.intern();
    newValues[at] = value.intern();
    System.arraycopy(names, at, newNames, at + 1, names.length - at);
    System.arraycopy(values, at, newValues, at + 1, names.length - at);
    return new Labels(newNames, newValues);
  }

  /** A copy without label {@code name}; this instance if there is no such label. */
  public Labels without(String name) {
    int i = Arrays.binarySearch(names, Objects.requireNonNull(name, "name"));
    if (i < 0) {
      return this;
    }
    String[] newNames = new String[names.length - 1];
    String[] newValues = new String[names.length - 1];
    System.arraycopy(names, 0, newNames, 0, i);
    System.arraycopy(values, 0, newValues, 0, i);
    System.arraycopy(names, i + 1, newNames, i, names.length - i - 1);
    System.arraycopy(values, i + 1, newValues, i, names.length - i - 1);
    return new Labels(newNames, newValues);
  }

  /** Calls {@code action} with each name and value, in name order. */
  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < names.length; i++) {
      action.accept(names[i], values[i]);
    }
  }

  /**
   * Orders lexicographically over the (name, value) pairs, a shorter prefix first, as Prometheus'
   * {@code labels.Compare}. Strings compare by code point, which is the UTF-8 byte order Prometheus
   * uses (plain {@code String.compareTo} differs for characters outside the BMP).
   */
  @Override
  public int compareTo(Labels other) {
    int n = Math.min(names.length, other.names.length);
    for (int i = 0; i < n; i++) {
      int c = compareCodePoints(names[i], other.names[i]);
      if (c != 0) {
        return c;
      }
      c = compareCodePoints(values[i], other.values[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(names.length, other.names.length);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Labels)) {
      return false;
    }
    Labels other = (Labels) o;
    return hash == other.hash
        && Arrays.equals(names, other.names)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Prometheus style: {@code {a="1", b="2"}}, with backslash, quote and newline escaped. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(names[i]).append('=');
      appendQuoted(sb, values[i]);
    }
    return sb.append('}').toString();
  }

  private static void check(String name, String value) {
    Objects.requireNonNull(name, "label name");
    Objects.requireNonNull(value, () -> "value of label " + quote(name));
    if (!isValidLabelName(name)) {
      throw new IllegalArgumentException("invalid label name: " + quote(name));
    }
    if (name.equals(METRIC_NAME) && !value.isEmpty() && !isValidMetricName(value)) {
      throw new IllegalArgumentException("invalid metric name: " + quote(value));
    }
  }

  private static Labels fromSortedMap(TreeMap<String, String> map) {
    map.values().removeIf(String::isEmpty);
    if (map.isEmpty()) {
      return EMPTY;
    }
    String[] names = new String[map.size()];
    String[] values = new String[map.size()];
    int i = 0;
    for (Map.Entry<String, String> e : map.entrySet()) {
      // Interned: a store holds 100,000s of label sets that mostly repeat the same few names and
      // values; one shared copy of each string instead of one per series saves about half of a
      // series' label memory. The JVM's string table drops strings no longer referenced.
      names[i] = e.getKey().intern();
      values[i] = e.getValue().intern();
      i++;
    }
    return new Labels(names, values);
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        // UTF-16 order equals code point order except that surrogates (U+D800..U+DFFF, encoding
        // code points >= U+10000) sort below U+E000..U+FFFF; move them above (ICU's fix-up).
        if (x >= 0xD800 && y >= 0xD800) {
          x = fixUpSurrogateOrder(x);
          y = fixUpSurrogateOrder(y);
        }
        return Character.compare(x, y);
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  private static char fixUpSurrogateOrder(char c) {
    return (char) (c >= 0xE000 ? c - 0x800 : c + 0x2000);
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder();
    appendQuoted(sb, s);
    return sb.toString();
  }

  private static void appendQuoted(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\':
          sb.append("\\\\");
          break;
        case '"':
          sb.append("\\\"");
          break;
        case '\n':
          sb.append("\\n");
          break;
        default:
          sb.append(c);
      }
    }
    sb.append('"');
  }

  /** Collects labels in any order; not thread-safe. */
  public static final class Builder {
    private final TreeMap<String, String> map = new TreeMap<>();

    private Builder() {}

    /** Sets label {@code name}, replacing an earlier value; an empty value removes the label. */
    public Builder put(String name, String value) {
      check(name, value);
      map.put(name, value);
      return this;
    }

    /** The labels put so far, without those with empty values. */
    public Labels build() {
      return fromSortedMap(new TreeMap<>(map));
    }
  }
}
