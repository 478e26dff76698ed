package dev.vigil.server.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.CentralProcessor.TickType;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.software.os.OSFileStore;

/** Reads the machine through OSHI. Not thread-safe: one collector thread uses it. */
public final class OshiSystemSource implements SystemSource {

  private static final String[] MODES = {
    "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"
  };
  private static final TickType[] TICKS = {
    TickType.USER,
    TickType.NICE,
    TickType.SYSTEM,
    TickType.IDLE,
    TickType.IOWAIT,
    TickType.IRQ,
    TickType.SOFTIRQ,
    TickType.STEAL
  };

  private final SystemInfo info = new SystemInfo();
  private final HardwareAbstractionLayer hardware = info.getHardware();

  @Override
  public SystemReading read() {
    CentralProcessor cpu = hardware.getProcessor();
    long[][] ticks = cpu.getProcessorCpuLoadTicks();
    Map<String, Map<String, Double>> cpus = new LinkedHashMap<>();
    for (int i = 0; i < ticks.length; i++) {
      Map<String, Double> modes = new LinkedHashMap<>();
      for (int m = 0; m < MODES.length; m++) {
        // OSHI's ticks are milliseconds.
        modes.put(MODES[m], ticks[i][TICKS[m].getIndex()] / 1000.0);
      }
      cpus.put(Integer.toString(i), modes);
    }
    GlobalMemory mem = hardware.getMemory();
    List<SystemReading.FileSystem> fs = new ArrayList<>();
    for (OSFileStore s : info.getOperatingSystem().getFileSystem().getFileStores(true)) {
      if (s.getTotalSpace() > 0) {
        fs.add(
            new SystemReading.FileSystem(
                s.getMount(), s.getType(), s.getVolume(), s.getTotalSpace(), s.getUsableSpace()));
      }
    }
    List<SystemReading.Network> nets = new ArrayList<>();
    for (NetworkIF n : hardware.getNetworkIFs(true)) {
      n.updateAttributes();
      nets.add(new SystemReading.Network(n.getName(), n.getBytesRecv(), n.getBytesSent()));
    }
    double[] load = cpu.getSystemLoadAverage(3);
    return new SystemReading(
        cpus,
        mem.getTotal(),
        mem.getAvailable(),
        fs,
        Math.max(0, load[0]),
        Math.max(0, load[1]),
        Math.max(0, load[2]),
        nets);
  }
}
