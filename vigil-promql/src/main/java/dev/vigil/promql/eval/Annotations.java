package dev.vigil.promql.eval;

import java.util.LinkedHashSet;
import java.util.Set;

/** Warnings and infos gathered while evaluating one query, without duplicates. */
final class Annotations {
  final Set<String> warnings = new LinkedHashSet<>();
  final Set<String> infos = new LinkedHashSet<>();

  void warn(String message) {
    warnings.add("PromQL warning: " + message);
  }

  void info(String message) {
    infos.add("PromQL info: " + message);
  }
}
