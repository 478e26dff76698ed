package dev.vigil.server.system;

import java.util.List;
import java.util.Map;

/**
 * One reading of the machine, in node_exporter's units.
 *
 * @param cpuSecondsByCpuAndMode cumulative CPU seconds, by cpu index ("0", "1", ...) then mode
 *     (user, nice, system, idle, iowait, irq, softirq, steal)
 * @param memTotalBytes total memory
 * @param memAvailableBytes memory available for new work
 * @param filesystems mounted local file systems
 * @param load1 load average over 1 minute
 * @param load5 load average over 5 minutes
 * @param load15 load average over 15 minutes
 * @param networks network interfaces with cumulative byte counters
 */
public record SystemReading(
    Map<String, Map<String, Double>> cpuSecondsByCpuAndMode,
    double memTotalBytes,
    double memAvailableBytes,
    List<FileSystem> filesystems,
    double load1,
    double load5,
    double load15,
    List<Network> networks) {

  /** One mounted file system. */
  public record FileSystem(
      String mountpoint, String fstype, String device, double sizeBytes, double availBytes) {}

  /** One network interface. */
  public record Network(String device, double receiveBytes, double transmitBytes) {}
}
