package dev.vigil.promql;

import java.util.List;

/**
 * How the series of the two sides of a binary operation between instant vectors are matched.
 *
 * @param cardinality one-to-one, many-to-one ({@code group_left}), one-to-many ({@code
 *     group_right}) or many-to-many (set operators)
 * @param matchingLabels the labels of {@code on(...)} or {@code ignoring(...)}
 * @param on true for {@code on}, false for {@code ignoring} (or no clause)
 * @param include the extra labels of {@code group_left(...)} or {@code group_right(...)}
 */
public record VectorMatching(
    Cardinality cardinality, List<String> matchingLabels, boolean on, List<String> include) {

  /** The cardinality of a vector matching. */
  public enum Cardinality {
    ONE_TO_ONE,
    MANY_TO_ONE,
    ONE_TO_MANY,
    MANY_TO_MANY
  }

  public VectorMatching {
    if (cardinality == null) {
      throw new IllegalArgumentException("null cardinality");
    }
    matchingLabels = List.copyOf(matchingLabels);
    include = List.copyOf(include);
  }

  /** The default matching of an operator without modifiers: one-to-one on all labels. */
  public static VectorMatching oneToOne() {
    return new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of());
  }
}
