package io.unimq.cli;

import java.nio.charset.StandardCharsets;

/** Puts a password into a URI's user info, and masks it again for printing. */
final class Uris {
  private Uris() {}

  /**
   * {@code uri} with {@code password} as the password of its user info: {@code scheme://user:password@...}, or
   * {@code scheme://:password@...} when the URI names no user (Redis without ACL users).
   */
  static String withPassword(String uri, String password) {
    int start = uri.indexOf("://");
    if (start < 0) {
      return uri; // Mq.connect explains what is malformed
    }
    start += 3;
    int end = start;
    while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
      end++;
    }
    String authority = uri.substring(start, end);
    int at = authority.lastIndexOf('@');
    String user = at < 0 ? "" : authority.substring(0, at);
    if (user.contains(":")) {
      throw new CliException(Unimq.CONFIGURATION, "the URI has a password and --password-file or UNIMQ_PASSWORD gives one"
          + " too: keep only one (remove it from the URI: " + redact(uri) + ")");
    }
    String host = at < 0 ? authority : authority.substring(at + 1);
    return uri.substring(0, start) + user + ":" + encode(password) + "@" + host + uri.substring(end);
  }

  /** Percent-encodes everything but the unreserved characters of RFC 3986. */
  static String encode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** {@code scheme://user:****@host...}: any password in user info masked. */
  static String redact(String text) {
    return text.replaceAll("//([^:/@\\s]*):[^@/\\s]*@", "//$1:****@");
  }

  /** The password in the URI's user info, or null. */
  static String passwordOf(String uri) {
    if (uri == null) {
      return null;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("//[^:/@\\s]*:([^@/\\s]*)@").matcher(uri);
    return m.find() && !m.group(1).isEmpty() ? m.group(1) : null;
  }
}
