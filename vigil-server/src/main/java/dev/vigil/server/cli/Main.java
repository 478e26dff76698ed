package dev.vigil.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code vigil} command: {@code server}, {@code demo}, {@code monitor}, {@code
 * query} and {@code promql-test}.
 */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    version = "vigil 0.1.0",
    description = "A self-contained performance monitor for web services.",
    subcommands = {
      ServerCommand.class,
      DemoCommand.class,
      MonitorCommand.class,
      QueryCommand.class,
      PromqlTestCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its code (2 for bad flags). */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code, for tests. */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("vigil: " + ex.getMessage());
          c.getErr()
              .println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for the options.");
          return 2;
        });
    return cl.execute(args);
  }

  /** Without a subcommand: the usage, and exit code 2. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing command: use server, demo, monitor, query or promql-test");
  }
}
