package dev.vigil.server.ingest;

import dev.vigil.client.Pseudonymizer;
import dev.vigil.server.events.EventsDb;
import dev.vigil.server.events.SlowRequestRecord;
import dev.vigil.server.events.SlowRequestStore;
import dev.vigil.server.events.UserStatsStore;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.metrics.IngestCounters;
import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.SampleRejectedException;
import dev.vigil.tsdb.Storage;
import dev.vigil.tsdb.StorageFullException;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ingests a batch of JSON request events: validates it whole, pre-aggregates it per series and
 * slot, pseudonymises each distinct user once, writes everything through one appender and commits.
 * Only when the commit returned (the write-ahead log is fsynced) is the batch acknowledged; slow
 * requests and per-user totals then go to the events database in one transaction.
 *
 * <p>Thread-safe: each call works on its own appender and maps.
 */
public final class RequestIngest {

  private final Storage storage;
  private final EventsDb events;
  private final Pseudonymizer pseudonymizer;
  private final double slowSeconds;
  private final Duration lateWindow;
  private final Clock clock;
  private final IngestCounters counters;
  private final java.util.function.LongConsumer slotWritten;

  /**
   * An ingest writing into {@code storage} and {@code events}, telling {@code slotWritten} each
   * slot it committed into.
   */
  public RequestIngest(
      Storage storage,
      EventsDb events,
      Pseudonymizer pseudonymizer,
      Duration slowThreshold,
      Duration lateWindow,
      Clock clock,
      IngestCounters counters,
      java.util.function.LongConsumer slotWritten) {
    this.storage = storage;
    this.events = events;
    this.pseudonymizer = pseudonymizer;
    this.slowSeconds = slowThreshold.toNanos() * 1e-9;
    this.lateWindow = lateWindow;
    this.clock = clock;
    this.counters = counters;
    this.slotWritten = slotWritten;
  }

  /**
   * Ingests one body; returns the number of events accepted.
   *
   * @throws ApiException 400 for an invalid batch (nothing stored), 503 if the store failed
   */
  public int ingest(InputStream body) throws IOException {
    return ingest(body.readAllBytes());
  }

  /**
   * Ingests one body, read whole; returns the number of events accepted.
   *
   * @throws ApiException 400 for an invalid batch (nothing stored), 503 if the store failed
   */
  public int ingest(byte[] body) throws IOException {
    EventBatch batch;
    try {
      batch = new RequestEventParser(clock.millis(), lateWindow).parseBatch(body);
    } catch (ApiException e) {
      counters.reject(e.getMessage().contains("late window") ? "too_late" : "bad_data", 1);
      throw e;
    }
    int n = batch.size();
    EventSlots slots = new EventSlots(batch);
    // Users by number: pseudonymised once per batch, totals per (user, minute).
    String[] pseudonyms = new String[batch.userCount()];
    UserMinutes userMinutes = new UserMinutes(batch.userCount());
    List<SlowRequestRecord> slow = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      slots.observe(i);
      int u = batch.user(i);
      String user = null;
      double secs = batch.seconds(i);
      if (u >= 0) {
        user = pseudonyms[u];
        if (user == null) {
          user = pseudonymizer.pseudonym(batch.userName(u));
          pseudonyms[u] = user;
        }
        userMinutes.add(u, UserStatsStore.slot(batch.timestampMillis(i)), secs);
      }
      if (secs >= slowSeconds) {
        int e = batch.endpoint(i);
        slow.add(
            new SlowRequestRecord(
                batch.timestampMillis(i),
                batch.service(e),
                batch.instance(e),
                batch.method(e),
                batch.route(e),
                batch.statusCode(i),
                secs,
                user,
                null,
                null));
      }
    }
    Map<UserStatsStore.SlotUser, UserStatsStore.Totals> users = userMinutes.totals(pseudonyms);
    int merges = commit(slots, n);
    counters.events.add(n);
    counters.samples.add(merges);
    if (users.isEmpty() && slow.isEmpty()) {
      return n;
    }
    try {
      // One transaction for both: each costs a commit of SQLite's log.
      int stored =
          events.write(
              c -> {
                UserStatsStore.add(c, users);
                return SlowRequestStore.insert(c, slow);
              });
      counters.slowRequests.add(stored);
    } catch (SQLException e) {
      throw new ApiException(
          500,
          "internal",
          "request series were stored, but the events database failed: " + e.getMessage());
    }
    return n;
  }

  private int commit(EventSlots slots, int items) throws IOException {
    Appender appender = storage.appender();
    try {
      int merges = slots.writeTo(appender);
      appender.commit();
      slots.slots().forEach(slotWritten::accept);
      return merges;
    } catch (SlotBatch.BatchItemRejected e) {
      appender.rollback();
      counters.reject("storage_" + e.rejection().reason().name().toLowerCase(), items);
      throw ApiException.badData(
          "item "
              + e.item
              + ": refused by storage ("
              + e.rejection().reason()
              + "): "
              + dev.vigil.server.remote.StorageRefusals.withKey(e.rejection()));
    } catch (SampleRejectedException e) {
      counters.reject("storage_" + e.reason().name().toLowerCase(), items);
      throw ApiException.badData(
          "batch refused by storage ("
              + e.reason()
              + "): "
              + dev.vigil.server.remote.StorageRefusals.withKey(e));
    } catch (IOException e) {
      counters.reject(StorageFullException.isDiskFull(e) ? "storage_full" : "storage_io", items);
      throw ApiException.storageFailure(e);
    }
  }
}
