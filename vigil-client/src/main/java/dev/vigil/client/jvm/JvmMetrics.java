package dev.vigil.client.jvm;

import dev.vigil.client.MetricFamily;
import dev.vigil.client.MetricPoint;
import dev.vigil.model.Labels;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * JVM metrics from {@code java.lang.management}, under client_java's names so that existing
 * dashboards and rules work unchanged: memory by area and pool, garbage collection, threads,
 * classes, process CPU time and start time.
 *
 * <p>Thread-safe and stateless: every {@link #collect()} reads the MXBeans afresh. A collection
 * costs tens of microseconds, most of it the per-thread state scan, so it belongs to a scrape or a
 * push interval, never to a request.
 */
public final class JvmMetrics {

  private static final double NANOS_PER_SECOND = 1e9;
  private static final double MILLIS_PER_SECOND = 1e3;

  private JvmMetrics() {}

  /** Reads every JVM metric now. */
  public static List<MetricFamily> collect() {
    List<MetricFamily> out = new ArrayList<>();
    memory(out);
    pools(out);
    garbageCollection(out);
    threads(out);
    classes(out);
    process(out);
    return out;
  }

  private static void memory(List<MetricFamily> out) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    MemoryUsage heap = memory.getHeapMemoryUsage();
    MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
    Labels heapLabels = Labels.of("area", "heap");
    Labels nonHeapLabels = Labels.of("area", "nonheap");
    out.add(
        MetricFamily.gauge(
            "jvm_memory_used_bytes",
            "Used bytes of a given JVM memory area.",
            List.of(
                MetricPoint.of(heapLabels, heap.getUsed()),
                MetricPoint.of(nonHeapLabels, nonHeap.getUsed()))));
    out.add(
        MetricFamily.gauge(
            "jvm_memory_committed_bytes",
            "Committed (bytes) of a given JVM memory area.",
            List.of(
                MetricPoint.of(heapLabels, heap.getCommitted()),
                MetricPoint.of(nonHeapLabels, nonHeap.getCommitted()))));
    // -1 when the area has no defined maximum, as client_java reports it.
    out.add(
        MetricFamily.gauge(
            "jvm_memory_max_bytes",
            "Max (bytes) of a given JVM memory area, -1 when undefined.",
            List.of(
                MetricPoint.of(heapLabels, heap.getMax()),
                MetricPoint.of(nonHeapLabels, nonHeap.getMax()))));
  }

  private static void pools(List<MetricFamily> out) {
    List<MetricPoint> used = new ArrayList<>();
    List<MetricPoint> committed = new ArrayList<>();
    List<MetricPoint> max = new ArrayList<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage usage = pool.getUsage();
      if (usage == null) {
        continue; // the pool became invalid since the list was taken
      }
      Labels labels = Labels.of("pool", pool.getName());
      used.add(MetricPoint.of(labels, usage.getUsed()));
      committed.add(MetricPoint.of(labels, usage.getCommitted()));
      max.add(MetricPoint.of(labels, usage.getMax()));
    }
    out.add(
        MetricFamily.gauge(
            "jvm_memory_pool_used_bytes", "Used bytes of a given JVM memory pool.", used));
    out.add(
        MetricFamily.gauge(
            "jvm_memory_pool_committed_bytes",
            "Committed bytes of a given JVM memory pool.",
            committed));
    out.add(
        MetricFamily.gauge(
            "jvm_memory_pool_max_bytes",
            "Max bytes of a given JVM memory pool, -1 when undefined.",
            max));
  }

  private static void garbageCollection(List<MetricFamily> out) {
    List<MetricPoint> points = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      long count = gc.getCollectionCount();
      long millis = gc.getCollectionTime();
      if (count < 0 || millis < 0) {
        continue; // -1: this collector does not report counts
      }
      points.add(
          MetricPoint.summary(Labels.of("gc", gc.getName()), count, millis / MILLIS_PER_SECOND));
    }
    out.add(
        MetricFamily.summary(
            "jvm_gc_collection_seconds",
            "Time spent in a given JVM garbage collector in seconds.",
            points));
  }

  private static void threads(List<MetricFamily> out) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    out.add(
        MetricFamily.gauge(
            "jvm_threads_current",
            "Current thread count of a JVM.",
            List.of(MetricPoint.of(threads.getThreadCount()))));
    out.add(
        MetricFamily.gauge(
            "jvm_threads_daemon",
            "Daemon thread count of a JVM.",
            List.of(MetricPoint.of(threads.getDaemonThreadCount()))));
    out.add(
        MetricFamily.gauge(
            "jvm_threads_peak",
            "Peak thread count of a JVM.",
            List.of(MetricPoint.of(threads.getPeakThreadCount()))));
    out.add(
        MetricFamily.counter(
            "jvm_threads_started",
            "Started thread count of a JVM.",
            List.of(MetricPoint.of(threads.getTotalStartedThreadCount()))));
    Map<Thread.State, Long> byState = new EnumMap<>(Thread.State.class);
    for (Thread.State state : Thread.State.values()) {
      byState.put(state, 0L);
    }
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
      if (info != null) { // null: the thread ended between the two calls
        byState.merge(info.getThreadState(), 1L, Long::sum);
      }
    }
    List<MetricPoint> states = new ArrayList<>();
    byState.forEach((state, n) -> states.add(MetricPoint.of(Labels.of("state", state.name()), n)));
    out.add(MetricFamily.gauge("jvm_threads_state", "Current count of threads by state.", states));
  }

  private static void classes(List<MetricFamily> out) {
    ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
    out.add(
        MetricFamily.gauge(
            "jvm_classes_currently_loaded",
            "The number of classes that are currently loaded in the JVM.",
            List.of(MetricPoint.of(classes.getLoadedClassCount()))));
  }

  private static void process(List<MetricFamily> out) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    // com.sun.management is in every OpenJDK build but not in the Java SE API: use it when there.
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      long cpuNanos = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
      if (cpuNanos >= 0) {
        out.add(
            MetricFamily.counter(
                "process_cpu_seconds",
                "Total user and system CPU time spent in seconds.",
                List.of(MetricPoint.of(cpuNanos / NANOS_PER_SECOND))));
      }
    }
    RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
    long startMillis = runtime.getStartTime();
    if (startMillis > 0) {
      out.add(
          MetricFamily.gauge(
              "process_start_time_seconds",
              "Start time of the process since unix epoch in seconds.",
              List.of(MetricPoint.of(startMillis / MILLIS_PER_SECOND))));
    }
  }
}
