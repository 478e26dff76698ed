package dev.vigil.promql;

/** The static type of a PromQL expression, as Prometheus' {@code parser.ValueType}. */
public enum ValueType {
  /** No value; only lists of arguments have it. */
  NONE("none", "none"),
  /** A single number. */
  SCALAR("scalar", "scalar"),
  /** An instant vector: one sample per series. */
  VECTOR("vector", "instant vector"),
  /** A range vector: a window of samples per series. */
  MATRIX("matrix", "range vector"),
  /** A string literal. */
  STRING("string", "string");

  private final String internalName;
  private final String documentedName;

  ValueType(String internalName, String documentedName) {
    this.internalName = internalName;
    this.documentedName = documentedName;
  }

  /** The name Prometheus' Go code prints ({@code "vector"}, {@code "matrix"}). */
  public String internalName() {
    return internalName;
  }

  /** The name of the PromQL documentation ({@code "instant vector"}, {@code "range vector"}). */
  public String documentedName() {
    return documentedName;
  }
}
