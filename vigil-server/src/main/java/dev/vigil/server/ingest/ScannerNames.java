package dev.vigil.server.ingest;

/**
 * The names {@link RequestEventScanner} has read on this thread: dictionaries of routes, services,
 * instances and methods, which of them passed the checks, and the endpoints they form. Kept across
 * batches, so that a name costs a dictionary hit instead of a new string, and an endpoint's series
 * labels are at hand by number. Users are not kept: they are numbered per batch, and no raw user
 * identifier outlives its request.
 *
 * <p>Bounded: a thread whose names pass {@link #MAX_NAMES} (label churn, or garbage) starts afresh
 * at its next batch. Names a batch adds stay even if the batch is then refused, which is harmless:
 * they are only names.
 */
final class ScannerNames {
  /** Most names or endpoints kept per thread. */
  static final int MAX_NAMES = 10_000;

  private static final ThreadLocal<ScannerNames> LOCAL = new ThreadLocal<>();

  final AsciiDictionary routes = new AsciiDictionary();
  final AsciiDictionary services = new AsciiDictionary();
  final AsciiDictionary instances = new AsciiDictionary();
  final AsciiDictionary rawMethods = new AsciiDictionary();
  final AsciiDictionary methods = new AsciiDictionary(); // normalised
  final EndpointTable endpoints = new EndpointTable();
  int[] methodOfRaw = new int[16]; // normalised number + 1, 0: not judged yet, -1: invalid
  boolean[] routeChecked = new boolean[64];
  boolean[] serviceChecked = new boolean[8];
  boolean[] instanceChecked = new boolean[8];
  final int defaultService;
  final int defaultInstance;

  private ScannerNames() {
    defaultService = services.number("default");
    defaultInstance = instances.number("api");
    serviceChecked[defaultService] = true;
    instanceChecked[defaultInstance] = true;
  }

  /** This thread's names, fresh if there were none or too many. */
  static ScannerNames forCurrentThread() {
    ScannerNames names = LOCAL.get();
    if (names == null || names.tooMany()) {
      names = new ScannerNames();
      LOCAL.set(names);
    }
    return names;
  }

  private boolean tooMany() {
    return routes.size() > MAX_NAMES
        || services.size() > MAX_NAMES
        || instances.size() > MAX_NAMES
        || rawMethods.size() > MAX_NAMES
        || endpoints.size() > MAX_NAMES;
  }
}
