package dev.vigil.server.ingest;

import dev.vigil.client.EndpointSnapshot;
import dev.vigil.client.MetricFamily;
import dev.vigil.client.MetricPoint;
import dev.vigil.client.RecorderSnapshot;
import dev.vigil.client.SlowRequest;
import dev.vigil.client.push.PushBatch;
import dev.vigil.client.push.PushCodec;
import dev.vigil.client.push.PushFormatException;
import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.server.events.EventsDb;
import dev.vigil.server.events.SlowRequestRecord;
import dev.vigil.server.events.SlowRequestStore;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.ingest.PushBaselines.Baseline;
import dev.vigil.server.ingest.PushBaselines.Cumulative;
import dev.vigil.server.ingest.PushBaselines.EndpointKey;
import dev.vigil.server.ingest.PushBaselines.InstanceKey;
import dev.vigil.server.metrics.IngestCounters;
import dev.vigil.server.series.RequestSeries;
import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.SampleRejectedException;
import dev.vigil.tsdb.Storage;
import dev.vigil.tsdb.StorageFullException;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ingests vigil-client push batches: cumulative snapshots per (service, instance) turned into
 * deltas against the instance's previous snapshot and merged into the slot of the push timestamp.
 *
 * <p>A new recorder start is a counter reset: the whole snapshot is the delta. A snapshot not newer
 * than the baseline (a retry whose answer was lost) adds nothing, so retries are idempotent. The
 * deltas, the new cumulative state and the recorder start are committed together (see {@link
 * PushBaselines}). A push timestamp outside the late window or ahead of the clock is counted in the
 * current slot instead: counts are cumulative, so only time resolution is lost. Slow requests are
 * stored once per (service, instance, recorder start, sequence).
 */
public final class PushIngest {

  private final Storage storage;
  private final EventsDb events;
  private final SlowRequestStore slowRequests;
  private final PushUsers users;
  private final Duration lateWindow;
  private final Clock clock;
  private final IngestCounters counters;
  private final PushBaselines baselines = new PushBaselines();
  private final java.util.function.LongConsumer slotWritten;

  /**
   * An ingest writing into {@code storage} and {@code events}, telling {@code slotWritten} each
   * slot it committed into.
   */
  public PushIngest(
      Storage storage,
      EventsDb events,
      Duration lateWindow,
      Clock clock,
      IngestCounters counters,
      java.util.function.LongConsumer slotWritten) {
    this.storage = storage;
    this.events = events;
    this.slowRequests = new SlowRequestStore(events);
    this.users = new PushUsers(events);
    this.lateWindow = lateWindow;
    this.clock = clock;
    this.counters = counters;
    this.slotWritten = slotWritten;
  }

  /** Reloads the baselines from the series of the last {@code lookback}. */
  public void load(Duration lookback) {
    long now = clock.millis();
    baselines.load(
        storage, now - lookback.toMillis(), now + RequestEventParser.MAX_FUTURE.toMillis());
  }

  /** Instances with a baseline. */
  public int instances() {
    return baselines.size();
  }

  /**
   * Ingests one decoded (gunzipped) batch; returns the requests its deltas added.
   *
   * @throws ApiException 400 for a malformed batch, 503 if the store failed
   */
  public long ingest(byte[] bytes) throws IOException {
    PushBatch batch;
    try {
      batch = PushCodec.decode(bytes);
    } catch (PushFormatException e) {
      counters.reject("push_format", 1);
      throw ApiException.badData("invalid push batch: " + e.getMessage());
    }
    if (batch.service().isBlank() || batch.instance().isBlank()) {
      counters.reject("bad_data", 1);
      throw ApiException.badData("push batch: service and instance must not be empty");
    }
    InstanceKey key = new InstanceKey(batch.service(), batch.instance());
    RecorderSnapshot snap = batch.snapshot();
    long added = 0;
    synchronized (baselines.lock(key)) {
      Baseline prev = baselines.get(key);
      boolean replay =
          prev != null
              && prev.startMillis() == snap.startMillis()
              && snap.timestampMillis() <= prev.timestampMillis();
      if (!replay) {
        added = commit(key, batch, prev);
      }
    }
    List<SlowRequestRecord> slow = new ArrayList<>();
    for (SlowRequest r : snap.slowRequests()) {
      slow.add(
          new SlowRequestRecord(
              r.timestampMillis(),
              batch.service(),
              batch.instance(),
              r.method(),
              r.route(),
              r.statusCode(),
              r.durationSeconds(),
              r.user(),
              snap.startMillis(),
              r.sequence()));
    }
    try {
      counters.slowRequests.add(slowRequests.insert(slow));
      users.add(key, snap, slotOf(snap.timestampMillis()));
    } catch (SQLException e) {
      if (events.isDiskFull(e)) {
        // A retry is safe: the baseline makes the series add nothing twice, slow requests are
        // unique by sequence, and the user cursor was rolled back with the rest.
        throw ApiException.diskFull(
            "push series were stored, but the events database could not record this batch's"
                + " users and slow requests; retrying the batch completes it without counting"
                + " anything twice ("
                + e.getMessage()
                + ")");
      }
      throw new ApiException(
          500,
          "internal",
          "push series were stored, but the events database failed: " + e.getMessage());
    }
    counters.pushBatches.increment();
    counters.pushedRequests.add(added);
    return added;
  }

  private long slotOf(long pushMillis) {
    long now = clock.millis();
    boolean usable =
        pushMillis >= now - lateWindow.toMillis() + RequestSeries.SLOT_MILLIS
            && pushMillis <= now + RequestEventParser.MAX_FUTURE.toMillis();
    return RequestSeries.slot(usable ? pushMillis : now);
  }

  private long commit(InstanceKey key, PushBatch batch, Baseline prev) throws IOException {
    RecorderSnapshot snap = batch.snapshot();
    boolean sameRecorder = prev != null && prev.startMillis() == snap.startMillis();
    long ts = snap.timestampMillis();
    long slot = slotOf(ts);
    // Cumulative samples are stored at the push's own timestamp unless it is unusable.
    long stamp = slotOf(ts) == RequestSeries.slot(ts) ? ts : clock.millis();
    Map<EndpointKey, Cumulative> next =
        sameRecorder ? new HashMap<>(prev.endpoints()) : new HashMap<>();
    SlotBatch slots = new SlotBatch();
    Appender a = storage.appender();
    try {
      int index = 0;
      for (EndpointSnapshot e : snap.endpoints()) {
        EndpointKey ek = new EndpointKey(e.method(), e.route());
        long[] counts = {
          e.informational(), e.success(), e.redirects(), e.clientErrors(), e.serverErrors()
        };
        Cumulative before = sameRecorder ? prev.endpoints().get(ek) : null;
        Histogram delta = e.latency();
        long[] countDelta = counts.clone();
        if (before != null) {
          boolean reset = e.latency().isCounterResetSince(before.latency());
          for (int i = 0; i < counts.length && !reset; i++) {
            countDelta[i] = counts[i] - before.statusCounts()[i];
            reset = countDelta[i] < 0;
          }
          if (reset) {
            countDelta = counts.clone();
          } else {
            delta = e.latency().subtract(before.latency());
          }
        }
        boolean changed = before == null || delta.count() > 0 || sum(countDelta) > 0;
        if (changed) {
          slots.addDelta(
              new SlotBatch.SlotKey(key.service(), key.instance(), e.method(), e.route(), slot),
              delta,
              countDelta,
              index);
          a.addHistogram(
              RequestSeries.duration(
                  RequestSeries.PUSH_DURATION,
                  key.service(),
                  key.instance(),
                  e.method(),
                  e.route()),
              stamp,
              e.latency());
          for (int c = 0; c < counts.length; c++) {
            a.add(
                RequestSeries.requests(
                    RequestSeries.PUSH_REQUESTS,
                    key.service(),
                    key.instance(),
                    e.method(),
                    e.route(),
                    c),
                stamp,
                counts[c]);
          }
          next.put(ek, new Cumulative(e.latency(), counts));
        }
        index++;
      }
      int merges = slots.writeTo(a);
      a.add(RequestSeries.pushStart(key.service(), key.instance()), stamp, snap.startMillis());
      int jvm = writeJvmMetrics(a, batch, stamp);
      a.commit();
      slots.slots().forEach(slotWritten::accept);
      counters.samples.add(merges + jvm + 1);
    } catch (SlotBatch.BatchItemRejected e) {
      a.rollback();
      counters.reject("storage_" + e.rejection().reason().name().toLowerCase(), 1);
      throw ApiException.badData(
          "push refused by storage ("
              + e.rejection().reason()
              + "): "
              + dev.vigil.server.remote.StorageRefusals.withKey(e.rejection()));
    } catch (SampleRejectedException e) {
      a.rollback();
      counters.reject("storage_" + e.reason().name().toLowerCase(), 1);
      throw ApiException.badData(
          "push refused by storage ("
              + e.reason()
              + "): "
              + dev.vigil.server.remote.StorageRefusals.withKey(e));
    } catch (IOException e) {
      counters.reject(StorageFullException.isDiskFull(e) ? "storage_full" : "storage_io", 1);
      throw ApiException.storageFailure(e);
    }
    baselines.put(key, new Baseline(snap.startMillis(), ts, Map.copyOf(next)));
    return slots.requests();
  }

  /** Stores the batch's JVM metric families as float series labelled with service and instance. */
  private static int writeJvmMetrics(Appender a, PushBatch batch, long stamp) {
    int n = 0;
    for (MetricFamily f : batch.jvmMetrics()) {
      for (MetricPoint p : f.points()) {
        Labels base =
            p.labels().with("service", batch.service()).with("instance", batch.instance());
        switch (f.type()) {
          case GAUGE -> a.add(base.with(Labels.METRIC_NAME, f.name()), stamp, p.value());
          case COUNTER ->
              a.add(base.with(Labels.METRIC_NAME, f.name() + "_total"), stamp, p.value());
          case SUMMARY -> {
            a.add(base.with(Labels.METRIC_NAME, f.name() + "_count"), stamp, p.count());
            a.add(base.with(Labels.METRIC_NAME, f.name() + "_sum"), stamp, p.value());
            n++;
          }
        }
        n++;
      }
    }
    return n;
  }

  private static long sum(long[] a) {
    long s = 0;
    for (long v : a) {
      s += v;
    }
    return s;
  }
}
