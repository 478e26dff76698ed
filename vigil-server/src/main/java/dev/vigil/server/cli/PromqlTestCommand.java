package dev.vigil.server.cli;

import dev.vigil.promql.test.ScriptRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil promql-test FILE...}: runs Prometheus test scripts against Vigil's PromQL engine and
 * prints {@code FILE: N passed, M failed} per file and each failure's expression, expected and
 * actual result. Exit code 0 when everything passed, 1 when something failed, 2 for bad arguments.
 */
@Command(
    name = "promql-test",
    mixinStandardHelpOptions = true,
    description = {
      "Run Prometheus PromQL test scripts (*.test) against Vigil's engine.",
      "Prints FILE: N passed, M failed for each file, then every failure."
    })
final class PromqlTestCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Test script files.")
  List<Path> files = new ArrayList<>();

  @Override
  public Integer call() {
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        System.err.println("vigil promql-test: no such file: " + f);
        return 2;
      }
    }
    List<String> names = new ArrayList<>();
    files.forEach(f -> names.add(f.toString()));
    return ScriptRunner.runFiles(names, System.out);
  }
}
