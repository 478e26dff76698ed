package dev.vigil.promql;

import java.util.List;

/**
 * A PromQL function's signature, as in Prometheus' {@code parser.Functions} table.
 *
 * @param name the name as written in calls (case-sensitive)
 * @param argTypes the argument types; with {@code variadic != 0} the last one repeats or is
 *     optional
 * @param variadic 0 for a fixed argument count; n &gt; 0 when the last argument type may appear up
 *     to n times (0 to n with one type listed); -1 for any number of times
 * @param returnType the type of the call
 * @param experimental behind Prometheus' {@code promql-experimental-functions} flag
 */
public record Function(
    String name,
    List<ValueType> argTypes,
    int variadic,
    ValueType returnType,
    boolean experimental) {

  public Function {
    argTypes = List.copyOf(argTypes);
    if (variadic < -1) {
      throw new IllegalArgumentException("variadic must be -1, 0 or positive: " + variadic);
    }
  }

  /** The fewest arguments a call may have. */
  public int minArgs() {
    return variadic == 0 ? argTypes.size() : argTypes.size() - 1;
  }

  /** The most arguments a call may have, or {@link Integer#MAX_VALUE}. */
  public int maxArgs() {
    if (variadic == 0) {
      return argTypes.size();
    }
    return variadic < 0 ? Integer.MAX_VALUE : argTypes.size() - 1 + variadic;
  }

  /** The expected type of argument {@code i} (0-based), repeating the last one if variadic. */
  public ValueType argType(int i) {
    return argTypes.get(Math.min(i, argTypes.size() - 1));
  }
}
