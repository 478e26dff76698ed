package dev.vigil.server;

import dev.vigil.server.auth.Role;
import dev.vigil.server.auth.Token;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.TokenConfig;
import dev.vigil.server.events.EventsDb;
import dev.vigil.server.events.TokenStore;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Settles the tokens at start: those from the configuration and environment replace the previous
 * configured ones in the database (as hashes); if then no token exists at all, an admin, a viewer
 * and an ingest token are generated and printed once to stdout, and only their hashes kept.
 */
final class TokenBootstrap {

  private final TokenStore store;
  private final PrintStream out;

  TokenBootstrap(EventsDb db, PrintStream out) {
    this.store = new TokenStore(db);
    this.out = out;
  }

  List<Token> tokens(ServerConfig config) throws SQLException {
    List<Token> configured = new ArrayList<>();
    for (TokenConfig t : config.tokens()) {
      byte[] hash =
          t.token() != null ? Token.hash(t.token()) : HexFormat.of().parseHex(t.sha256Hex());
      configured.add(new Token(t.name(), Role.of(t.role()), hash));
    }
    store.replaceConfigured(configured);
    List<Token> all = store.all();
    if (!all.isEmpty()) {
      return all;
    }
    SecureRandom random = new SecureRandom();
    List<Token> generated = new ArrayList<>();
    StringBuilder msg = new StringBuilder();
    msg.append("No tokens were configured, so Vigil generated these. They are shown only now;\n")
        .append("Vigil keeps only their SHA-256 hashes (events.db). Store them safely:\n");
    for (Role role : Role.values()) {
      String token = Token.generate(random);
      generated.add(new Token(role.id(), role, Token.hash(token)));
      msg.append(String.format("  %-7s %s%n", role.id(), token));
    }
    store.addGenerated(generated, System.currentTimeMillis());
    out.print(msg);
    out.flush();
    return store.all();
  }
}
