package dev.vigil.server.config;

/**
 * A bearer token given in the configuration or the environment: its name, role, and either the
 * token itself or its SHA-256 (hex), so that a configuration file need not hold the secret.
 */
public record TokenConfig(String name, String role, String token, String sha256Hex) {

  /** Never shows the token. */
  @Override
  public String toString() {
    return "TokenConfig{name=" + name + ", role=" + role + "}";
  }
}
