package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.SampleCursor;
import dev.vigil.tsdb.Series;
import java.util.List;

/**
 * One series held by several sources (the head and overlapping blocks), read as one: samples in
 * timestamp order, and at an equal timestamp only the sample of the earliest source in the list
 * (the head first, then newer blocks). Immutable; each cursor is independent.
 */
final class MergedSeries implements Series {
  private final Labels labels;
  private final List<? extends Series> sources;

  MergedSeries(Labels labels, List<? extends Series> sources) {
    this.labels = labels;
    this.sources = List.copyOf(sources);
  }

  @Override
  public Labels labels() {
    return labels;
  }

  @Override
  public SampleCursor cursor() {
    SampleCursor[] cursors = new SampleCursor[sources.size()];
    for (int i = 0; i < cursors.length; i++) {
      cursors[i] = sources.get(i).cursor();
    }
    return new Cursor(cursors);
  }

  /** A k-way merge; k is small (the head plus the blocks overlapping the range). */
  private static final class Cursor implements SampleCursor {
    private final SampleCursor[] cursors;
    private final boolean[] has; // whether cursors[i] is on a sample not yet returned
    private boolean started;
    private SampleCursor current;

    Cursor(SampleCursor[] cursors) {
      this.cursors = cursors;
      this.has = new boolean[cursors.length];
    }

    @Override
    public boolean next() {
      if (!started) {
        started = true;
        for (int i = 0; i < cursors.length; i++) {
          has[i] = cursors[i].next();
        }
      } else if (current != null) {
        long t = current.timestampMillis();
        for (int i = 0; i < cursors.length; i++) {
          if (has[i] && cursors[i].timestampMillis() == t) {
            has[i] = cursors[i].next();
          }
        }
      } else {
        return false;
      }
      int best = -1;
      for (int i = 0; i < cursors.length; i++) {
        if (has[i]
            && (best < 0 || cursors[i].timestampMillis() < cursors[best].timestampMillis())) {
          best = i;
        }
      }
      current = best < 0 ? null : cursors[best];
      return current != null;
    }

    private SampleCursor on() {
      if (current == null) {
        throw new IllegalStateException("cursor is not on a sample: call next() first");
      }
      return current;
    }

    @Override
    public long timestampMillis() {
      return on().timestampMillis();
    }

    @Override
    public boolean isHistogram() {
      return on().isHistogram();
    }

    @Override
    public double value() {
      return on().value();
    }

    @Override
    public Histogram histogram() {
      return on().histogram();
    }
  }
}
