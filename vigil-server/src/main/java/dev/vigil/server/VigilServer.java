package dev.vigil.server;

import dev.vigil.client.Pseudonymizer;
import dev.vigil.client.Recorder;
import dev.vigil.server.auth.Authenticator;
import dev.vigil.server.auth.RateLimiter;
import dev.vigil.server.auth.TokenRegistry;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.events.AccessLog;
import dev.vigil.server.events.EventsDb;
import dev.vigil.server.http.BodyReader;
import dev.vigil.server.http.HttpApi;
import dev.vigil.server.ingest.PushIngest;
import dev.vigil.server.ingest.RequestEventParser;
import dev.vigil.server.ingest.RequestIngest;
import dev.vigil.server.metrics.IngestCounters;
import dev.vigil.server.metrics.SelfMetrics;
import dev.vigil.server.perf.PerformanceApi;
import dev.vigil.server.perf.RequestStatsReader;
import dev.vigil.server.prom.MetricMetadata;
import dev.vigil.server.prom.PrometheusApi;
import dev.vigil.server.prom.QueryApi;
import dev.vigil.server.prom.SnapshotApi;
import dev.vigil.server.remote.RemoteWriteReceiver;
import dev.vigil.server.series.RequestSeries;
import dev.vigil.server.system.OshiSystemSource;
import dev.vigil.server.system.SystemCollector;
import dev.vigil.server.system.SystemMetricsReader;
import dev.vigil.server.system.SystemSource;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.rollup.RollupOptions;
import dev.vigil.tsdb.rollup.Rollups;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Vigil server: the store, the events database, ingest, the performance API, the system
 * collector and the HTTP surface, assembled from a {@link ServerConfig}. {@link #close()} stops
 * them in reverse order.
 */
public final class VigilServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(VigilServer.class);

  /**
   * A remote write body may decompress to this many times the body limit: Prometheus' requests
   * compress 5 to 10 times, and a snappy header must not make the server allocate gigabytes.
   */
  static final long REMOTE_WRITE_DECODED_FACTOR = 8;

  /** Series whose label bytes the remote write receiver caches per generation (two are kept). */
  static final int REMOTE_WRITE_CACHED_SERIES = 500_000;

  private final ServerConfig config;
  private final Tsdb tsdb;
  private final Rollups rollups;
  private final EventsDb events;
  private final AccessLog accessLog;
  private final SystemCollector collector;
  private final ScheduledExecutorService maintenance;
  private final Javalin app;
  private volatile boolean ready;

  private VigilServer(ServerConfig config, Options options) throws IOException {
    this.config = config;
    Clock clock = options.clock;
    java.nio.file.Files.createDirectories(config.dataDir());
    this.events = EventsDb.open(config.dataDir());
    TokenRegistry tokens;
    try {
      tokens = new TokenRegistry(new TokenBootstrap(events, options.out).tokens(config));
    } catch (java.sql.SQLException e) {
      events.close();
      throw new IOException("cannot set up tokens: " + e.getMessage(), e);
    }
    Pseudonymizer pseudonymizer = Pseudonymizer.withKey(new KeyFile(config).key());
    // The store keeps slots mergeable for the late window plus one slot and clock skew, so that an
    // event the parser accepts is never refused by the store for its slot's age.
    Duration mergeable =
        config
            .lateWindow()
            .plusMillis(RequestSeries.SLOT_MILLIS)
            .plus(RequestEventParser.MAX_FUTURE);
    this.tsdb =
        Tsdb.open(
            TsdbOptions.builder(config.dataDir().resolve("tsdb"))
                .retention(config.retention())
                .retentionBytes(config.retentionBytes())
                .outOfOrderWindow(mergeable)
                .clock(clock)
                .maxSeries(config.limits().maxSeries())
                .maxSeriesPerMetric(config.limits().maxSeriesPerMetric())
                .maxHeadBytes(config.limits().effectiveMaxHeadBytes())
                .build());
    this.rollups =
        Rollups.open(
            tsdb,
            new RollupOptions(
                config.dataDir().resolve("rollups"),
                mergeable,
                config.rollupRetention(),
                RollupOptions.DEFAULT_CATCH_UP_LIMIT,
                clock));
    IngestCounters counters = new IngestCounters();
    RequestStatsReader reader = new RequestStatsReader(tsdb, rollups);
    RequestIngest requests =
        new RequestIngest(
            tsdb,
            events,
            pseudonymizer,
            config.slowThreshold(),
            config.lateWindow(),
            clock,
            counters,
            reader::invalidate);
    PushIngest push =
        new PushIngest(tsdb, events, config.lateWindow(), clock, counters, reader::invalidate);
    push.load(config.retention());
    BodyReader bodies = new BodyReader(config.bodyLimitBytes());
    RemoteWriteReceiver remoteWrite =
        new RemoteWriteReceiver(
            tsdb,
            bodies,
            config.lateWindow(),
            clock,
            counters,
            REMOTE_WRITE_DECODED_FACTOR * config.bodyLimitBytes(),
            Math.min(config.limits().maxSeries(), REMOTE_WRITE_CACHED_SERIES));
    this.accessLog = new AccessLog(events, config.accessLogQueueSize());
    Recorder httpRecorder = Recorder.builder().maxEndpoints(100).build();
    PerformanceApi performance =
        new PerformanceApi(reader, events, new SystemMetricsReader(tsdb, rollups), config, clock);
    SelfMetrics metrics = new SelfMetrics(httpRecorder, counters, tsdb, accessLog, push::instances);
    this.collector =
        new SystemCollector(
            tsdb,
            options.systemSource != null ? options.systemSource : lazyOshi(),
            clock,
            counters);
    if (config.systemEnabled()) {
      collector.start(config.systemInterval());
    }
    this.maintenance =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-events-retention");
              t.setDaemon(true);
              return t;
            });
    maintenance.scheduleAtFixedRate(() -> deleteOldEvents(clock), 1, 60, TimeUnit.MINUTES);
    maintenance.scheduleWithFixedDelay(this::rollUp, 1, 1, TimeUnit.MINUTES);
    this.app =
        HttpApi.create(
            new HttpApi.Handlers(
                new Authenticator(
                    tokens,
                    new RateLimiter(
                        config.rateLimitPerSecond(), config.rateLimitBurst(), options.nanoTicker)),
                requests,
                push,
                remoteWrite,
                performance,
                metrics,
                accessLog,
                httpRecorder,
                bodies,
                () -> ready,
                clock,
                new PrometheusApi(tsdb, clock, config.retention(), MetricMetadata.builtIn()),
                new QueryApi(
                    tsdb,
                    clock,
                    new QueryApi.Limits(
                        config.query().maxConcurrent(),
                        config.query().timeout().toMillis(),
                        config.query().maxSamples())),
                new SnapshotApi(
                    tsdb, config.dataDir().resolve("tsdb").resolve("snapshots"), clock)));
  }

  /**
   * OSHI, set up on the first reading: its set-up (JNA, hardware probes) costs a noticeable part of
   * start-up, and none when system collection is off.
   */
  private static SystemSource lazyOshi() {
    return new SystemSource() {
      private OshiSystemSource oshi;

      @Override
      public synchronized dev.vigil.server.system.SystemReading read() {
        if (oshi == null) {
          oshi = new OshiSystemSource();
        }
        return oshi.read();
      }
    };
  }

  /** Test and embedding hooks; the defaults are the production ones. */
  public static final class Options {
    Clock clock = Clock.systemUTC();
    LongSupplier nanoTicker = System::nanoTime;
    SystemSource systemSource;
    PrintStream out = System.out;
    String host = "0.0.0.0";

    /** The production defaults. */
    public Options() {}

    /** The clock for ingest, windows and the store. */
    public Options clock(Clock c) {
      this.clock = c;
      return this;
    }

    /** The ticker of the rate limiter. */
    public Options nanoTicker(LongSupplier t) {
      this.nanoTicker = t;
      return this;
    }

    /** Where system readings come from (default OSHI). */
    public Options systemSource(SystemSource s) {
      this.systemSource = s;
      return this;
    }

    /** Where generated tokens are printed (default stdout). */
    public Options out(PrintStream o) {
      this.out = o;
      return this;
    }

    /** Interface to listen on (default all). */
    public Options host(String h) {
      this.host = h;
      return this;
    }
  }

  /** Starts a server with production defaults. */
  public static VigilServer start(ServerConfig config) throws IOException {
    return start(config, new Options());
  }

  /** Starts a server. */
  public static VigilServer start(ServerConfig config, Options options) throws IOException {
    VigilServer s = new VigilServer(config, options);
    try {
      s.app.start(options.host, config.port());
    } catch (RuntimeException e) {
      s.close();
      throw new IOException("cannot listen on port " + config.port() + ": " + e.getMessage(), e);
    }
    s.ready = true;
    LOG.info("Vigil listening on port {}, data in {}", s.port(), config.dataDir().toAbsolutePath());
    return s;
  }

  private void deleteOldEvents(Clock clock) {
    try {
      int n = events.deleteBefore(clock.millis() - config.retention().toMillis());
      if (n > 0) {
        LOG.info("events retention: deleted {} rows older than {}", n, config.retention());
      }
    } catch (java.sql.SQLException | RuntimeException e) {
      LOG.warn("events retention failed: {}", e.getMessage());
    }
  }

  /** Writes the rollups that are due; the maintenance thread calls it every minute. */
  public void rollUp() {
    try {
      int n = rollups.catchUp();
      if (n > 0) {
        LOG.debug("rollups: {} windows written", n);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("rollups failed, will retry: {}", e.getMessage());
    }
  }

  /** The port listened on. */
  public int port() {
    return app.port();
  }

  /** The store, for tests and embedding that read it directly. */
  public dev.vigil.tsdb.Storage storage() {
    return tsdb;
  }

  /** The collector, for tests that drive it by hand. */
  public SystemCollector systemCollector() {
    return collector;
  }

  /** Stops serving, then closes the collector, the access log, the store and the database. */
  @Override
  public void close() {
    ready = false;
    try {
      app.stop();
    } catch (RuntimeException e) {
      LOG.warn("stopping HTTP: {}", e.getMessage());
    }
    collector.close();
    maintenance.shutdownNow();
    accessLog.close();
    try {
      rollups.close();
    } catch (IOException e) {
      LOG.warn("closing the rollups: {}", e.getMessage());
    }
    try {
      tsdb.close();
    } catch (IOException e) {
      LOG.warn("closing the store: {}", e.getMessage());
    }
    events.close();
  }
}
