package dev.vigil.server.series;

/** node_exporter's names for the system series, so that existing rules and dashboards work. */
public final class SystemSeries {

  /** CPU time per cpu and mode. */
  public static final String CPU_SECONDS = "node_cpu_seconds_total";

  /** Total memory. */
  public static final String MEM_TOTAL = "node_memory_MemTotal_bytes";

  /** Memory available for new work. */
  public static final String MEM_AVAILABLE = "node_memory_MemAvailable_bytes";

  /** File system size per mountpoint, fstype, device. */
  public static final String FS_SIZE = "node_filesystem_size_bytes";

  /** File system space available to non-root users. */
  public static final String FS_AVAIL = "node_filesystem_avail_bytes";

  /** Load average over 1 minute. */
  public static final String LOAD1 = "node_load1";

  /** Load average over 5 minutes. */
  public static final String LOAD5 = "node_load5";

  /** Load average over 15 minutes. */
  public static final String LOAD15 = "node_load15";

  /** Bytes received per device. */
  public static final String NET_RX = "node_network_receive_bytes_total";

  /** Bytes sent per device. */
  public static final String NET_TX = "node_network_transmit_bytes_total";

  private SystemSeries() {}
}
