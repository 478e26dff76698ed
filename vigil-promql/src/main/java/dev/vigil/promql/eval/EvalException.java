package dev.vigil.promql.eval;

/** A query that cannot be evaluated: the message says why, in Prometheus' words where known. */
public final class EvalException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EvalException(String message) {
    super(message);
  }
}
