package dev.vigil.promql.eval;

import dev.vigil.model.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Gathers per-step elements into series keyed by labels and name flag, in first-seen order. */
final class StepCollector {
  private record Key(Labels labels, boolean dropName) {}

  private final int n;
  private final Map<Key, Steps> series = new LinkedHashMap<>();

  StepCollector(int n) {
    this.n = n;
  }

  void add(int step, Elem e) {
    Steps s =
        series.computeIfAbsent(
            new Key(e.labels(), e.dropName()), k -> new Steps(k.labels, k.dropName, n));
    s.set(step, e.f(), e.h());
  }

  List<Steps> list() {
    return new ArrayList<>(series.values());
  }
}
