package dev.vigil.server.config;

import java.util.List;

/**
 * The configuration is invalid; each message names the key path, e.g. {@code health.cpu.warning}.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /** Creates the exception from one message per problem. */
  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** One message per problem, each starting with its key path. */
  public List<String> problems() {
    return problems;
  }
}
