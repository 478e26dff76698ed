package dev.vigil.server.auth;

import java.security.MessageDigest;
import java.util.List;

/**
 * The tokens the server accepts, matched by comparing SHA-256 hashes in constant time.
 *
 * <p>Every known hash is compared on every lookup (no early exit), so the time taken does not
 * depend on which token, if any, matched. The list is immutable and replaced whole.
 */
public final class TokenRegistry {

  /** Replaced whole; readers see one consistent list. */
  private volatile List<Token> tokens;

  /** A registry of these tokens. */
  public TokenRegistry(List<Token> tokens) {
    this.tokens = List.copyOf(tokens);
  }

  /** Replaces the tokens. */
  public void replace(List<Token> newTokens) {
    this.tokens = List.copyOf(newTokens);
  }

  /** The known tokens. */
  public List<Token> tokens() {
    return tokens;
  }

  /** The token whose hash matches the presented token, or null. */
  public Token find(String presented) {
    byte[] hash = Token.hash(presented);
    Token found = null;
    for (Token t : tokens) {
      if (MessageDigest.isEqual(t.sha256(), hash) && found == null) {
        found = t;
      }
    }
    return found;
  }
}
