package dev.vigil.promql.eval;

import java.util.List;

/**
 * A query's value and its annotations.
 *
 * @param value the result
 * @param warnings warning annotations ({@code PromQL warning: ...})
 * @param infos info annotations ({@code PromQL info: ...})
 */
public record Result(Value value, List<String> warnings, List<String> infos) {
  public Result {
    warnings = List.copyOf(warnings);
    infos = List.copyOf(infos);
  }
}
