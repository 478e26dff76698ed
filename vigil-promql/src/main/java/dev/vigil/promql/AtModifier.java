package dev.vigil.promql;

/**
 * The {@code @} modifier of a selector or subquery: a fixed evaluation time, or the start or end of
 * the query range.
 *
 * @param kind which form was written
 * @param timestampMillis the fixed time in epoch milliseconds, 0 unless {@code kind} is {@link
 *     Kind#TIMESTAMP}
 */
public record AtModifier(Kind kind, long timestampMillis) {

  /** The three forms of the modifier. */
  public enum Kind {
    /** {@code @ <seconds>}. */
    TIMESTAMP,
    /** {@code @ start()}. */
    START,
    /** {@code @ end()}. */
    END
  }

  /** {@code @ start()}. */
  public static final AtModifier START = new AtModifier(Kind.START, 0);

  /** {@code @ end()}. */
  public static final AtModifier END = new AtModifier(Kind.END, 0);

  public AtModifier {
    if (kind == null) {
      throw new IllegalArgumentException("null @ modifier kind");
    }
    if (kind != Kind.TIMESTAMP && timestampMillis != 0) {
      throw new IllegalArgumentException(
          "@ " + kind + " carries no timestamp, got " + timestampMillis);
    }
  }

  /** {@code @ <timestampMillis / 1000>}. */
  public static AtModifier at(long timestampMillis) {
    return new AtModifier(Kind.TIMESTAMP, timestampMillis);
  }
}
