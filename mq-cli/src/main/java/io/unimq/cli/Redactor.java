package io.unimq.cli;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/** Masks the password, in every form it was given, in text about to be printed. */
final class Redactor {
  private final Set<String> secrets = new LinkedHashSet<>();

  private Redactor() {}

  static Redactor of(Common common) {
    Redactor r = new Redactor();
    if (common != null) {
      String inUri = Uris.passwordOf(common.uri);
      if (inUri != null) {
        r.add(inUri);
        try {
          r.add(URLDecoder.decode(inUri.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException ignored) {
          // not percent-encoded: the raw form is masked
        }
      }
      try {
        String given = common.password();
        if (given != null) {
          r.add(given);
          r.add(Uris.encode(given));
        }
      } catch (CliException ignored) {
        // an unreadable password file: nothing to mask
      }
    }
    return r;
  }

  private void add(String secret) {
    if (secret != null && !secret.isEmpty()) {
      secrets.add(secret);
    }
  }

  String redact(String text) {
    String out = Uris.redact(text);
    for (String secret : secrets) {
      out = out.replace(secret, "****");
    }
    return out;
  }
}
