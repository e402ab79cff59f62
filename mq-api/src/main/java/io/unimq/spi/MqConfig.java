package io.unimq.spi;

import io.unimq.api.MqConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed connection URI: {@code scheme://[user[:password]@]host[:port][,host[:port]...][/path][?name=value&...]},
 * with typed, validated access to its parameters. A comma-separated host list names the nodes of a
 * cluster ({@link #addresses(int)}); {@link #host()} and {@link #port(int)} are its first entry.
 * Secrets (the password in the user info, and the value of every parameter that
 * {@link #isSecretParameter(String)} names) are masked in {@link #redactedUri()} and
 * {@link #toString()}. Immutable, thread-safe.
 */
public final class MqConfig {
  private final String uri;
  private final String scheme;
  private final String user;
  private final String password;
  private final String host;
  private final int port;
  private final String path;
  private final Map<String, String> params;
  private final List<Address> addresses;

  /**
   * One {@code host[:port]} entry of the URI's authority.
   *
   * @param host the host name or address (an IPv6 address without its brackets)
   * @param port the port, or -1 when the entry has none
   */
  public record Address(String host, int port) {
    /** {@code host:port}, with {@code defaultPort} when the entry has none (IPv6 hosts in brackets). */
    public String hostPort(int defaultPort) {
      String h = host.contains(":") ? "[" + host + "]" : host;
      return h + ":" + (port < 0 ? defaultPort : port);
    }
  }

  private MqConfig(String uri, String scheme, String user, String password, String host, int port,
      String path, Map<String, String> params, List<Address> addresses) {
    this.uri = uri;
    this.scheme = scheme;
    this.user = user;
    this.password = password;
    this.host = host;
    this.port = port;
    this.path = path;
    this.params = Collections.unmodifiableMap(params);
    this.addresses = List.copyOf(addresses);
  }

  /** Parses {@code uri}; throws {@link MqConfigurationException} naming what is wrong. */
  public static MqConfig parse(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new MqConfigurationException("connection URI is null or empty; expected scheme://host[:port][?params], for example memory://local");
    }
    String text = uri.trim();
    List<Address> many = null;
    int start = text.indexOf("://");
    if (start > 0) {
      int end = text.length();
      for (char c : new char[] {'/', '?', '#'}) {
        int i = text.indexOf(c, start + 3);
        if (i >= 0 && i < end) {
          end = i;
        }
      }
      String authority = text.substring(start + 3, end);
      int at = authority.lastIndexOf('@');
      String hostList = authority.substring(at + 1);
      if (hostList.contains(",")) {
        many = new ArrayList<>();
        for (String entry : hostList.split(",", -1)) {
          many.add(address(entry.trim(), uri));
        }
        // parse the rest with the first entry standing for the list
        text = text.substring(0, start + 3) + authority.substring(0, at + 1) + hostList.substring(0, hostList.indexOf(','))
            + text.substring(end);
      }
    }
    URI u;
    try {
      u = new URI(text);
    } catch (URISyntaxException e) {
      throw new MqConfigurationException("malformed connection URI '" + redact(uri) + "': " + e.getReason()
          + "; expected scheme://host[:port][/path][?name=value&...]", e);
    }
    if (u.getScheme() == null || !u.isAbsolute() || u.isOpaque()) {
      throw new MqConfigurationException("malformed connection URI '" + redact(uri)
          + "': no scheme://; expected scheme://host[:port][/path][?name=value&...], for example kafka://127.0.0.1:9092");
    }
    String host = u.getHost();
    if (host == null) {
      // memory://my_name or hosts the JDK refuses as server-based authority
      String authority = u.getRawAuthority();
      if (authority == null || authority.isBlank()) {
        throw new MqConfigurationException("malformed connection URI '" + redact(uri) + "': missing host");
      }
      host = authority.contains("@") ? authority.substring(authority.indexOf('@') + 1) : authority;
      if (host.contains(":")) {
        throw new MqConfigurationException("malformed connection URI '" + redact(uri) + "': bad host or port '" + host + "'");
      }
    }
    String user = null;
    String password = null;
    if (u.getRawUserInfo() != null) {
      String[] up = u.getRawUserInfo().split(":", 2);
      user = decode(up[0]);
      password = up.length > 1 ? decode(up[1]) : null;
    }
    String rawPath = u.getRawPath();
    String path = rawPath == null || rawPath.isEmpty() || rawPath.equals("/") ? "" : decode(rawPath.substring(1));
    Map<String, String> params = new LinkedHashMap<>();
    if (u.getRawQuery() != null && !u.getRawQuery().isEmpty()) {
      for (String pair : u.getRawQuery().split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new MqConfigurationException("malformed parameter '" + pair + "' in '" + redact(uri) + "': expected name=value");
        }
        String name = decode(pair.substring(0, eq));
        if (params.put(name, decode(pair.substring(eq + 1))) != null) {
          throw new MqConfigurationException("parameter '" + name + "' is given twice in '" + redact(uri) + "'");
        }
      }
    }
    if (u.getPort() == 0 || u.getPort() > 65535) {
      throw new MqConfigurationException("port " + u.getPort() + " of '" + redact(uri) + "' is out of range: give 1-65535,"
          + " or leave it out for the broker's default port");
    }
    List<Address> addresses = many != null ? many : List.of(new Address(host, u.getPort()));
    return new MqConfig(uri, u.getScheme().toLowerCase(java.util.Locale.ROOT), user, password, host, u.getPort(), path, params,
        addresses);
  }

  private static Address address(String entry, String uri) {
    String host = entry;
    String port = null;
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      if (close < 0) {
        throw new MqConfigurationException("malformed connection URI '" + redact(uri) + "': bad host '" + entry + "'");
      }
      host = entry.substring(1, close);
      if (close + 1 < entry.length()) {
        if (entry.charAt(close + 1) != ':') {
          throw new MqConfigurationException("malformed connection URI '" + redact(uri) + "': bad host '" + entry + "'");
        }
        port = entry.substring(close + 2);
      }
    } else if (entry.contains(":")) {
      host = entry.substring(0, entry.indexOf(':'));
      port = entry.substring(entry.indexOf(':') + 1);
    }
    if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%_-]+")) {
      throw new MqConfigurationException("malformed connection URI '" + redact(uri) + "': bad host '" + entry
          + "' in the host list; give host:port entries separated by commas, for example kafka://h1:9092,h2:9092");
    }
    if (port == null) {
      return new Address(host, -1);
    }
    try {
      int p = Integer.parseInt(port);
      if (p < 1 || p > 65535) {
        throw new NumberFormatException();
      }
      return new Address(host, p);
    } catch (NumberFormatException e) {
      throw new MqConfigurationException("port '" + port + "' of host '" + host + "' in '" + redact(uri)
          + "' is out of range: give 1-65535, or leave it out for the broker's default port");
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String redact(String uri) {
    String out = uri.replaceAll("//([^:/@]*):[^@/]*@", "//$1:****@");
    int q = out.indexOf('?');
    if (q < 0) {
      return out;
    }
    StringBuilder b = new StringBuilder(out.substring(0, q + 1));
    String[] pairs = out.substring(q + 1).split("&", -1);
    for (int i = 0; i < pairs.length; i++) {
      String pair = pairs[i];
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : URLDecoder.decode(pair.substring(0, eq).replace("+", "%2B"), StandardCharsets.UTF_8);
      b.append(i == 0 ? "" : "&").append(eq >= 0 && isSecretParameter(name) ? pair.substring(0, eq + 1) + "****" : pair);
    }
    return b.toString();
  }

  /**
   * Whether parameter {@code name} holds a secret, to be masked wherever unimq shows it: any name
   * containing (ignoring case) {@code password}, {@code secret}, {@code jaas}, {@code token} or
   * {@code credential}, for example {@code password}, {@code secretKey}, {@code trustStorePassword},
   * {@code kafka.sasl.jaas.config}.
   */
  public static boolean isSecretParameter(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    return n.contains("password") || n.contains("secret") || n.contains("jaas") || n.contains("token")
        || n.contains("credential");
  }

  /**
   * Rejects any parameter that is neither the adapter's, a core one, nor prefixed
   * {@code <scheme>.}.
   */
  public void validate(Set<String> adapterParameters, Set<String> coreParameters) {
    for (String name : params.keySet()) {
      if (adapterParameters.contains(name) || coreParameters.contains(name) || name.startsWith(scheme + ".")) {
        continue;
      }
      Set<String> known = new TreeSet<>(adapterParameters);
      known.addAll(coreParameters);
      throw new MqConfigurationException("unknown parameter '" + name + "' for " + scheme + "://; known: " + known
          + " (vendor client settings pass through as '" + scheme + ".<setting>')");
    }
  }

  /**
   * This configuration read with {@code scheme} instead of its own, and {@code tls=true} unless it
   * gives {@code tls}: for a provider's {@link MqProvider#tlsSchemes() TLS scheme} such as
   * {@code amqps}. {@link #redactedUri()} still shows the URI as written.
   */
  public MqConfig withTlsScheme(String scheme) {
    Map<String, String> p = new LinkedHashMap<>(params);
    p.putIfAbsent("tls", "true");
    return new MqConfig(uri, scheme, user, password, host, port, path, p, addresses);
  }

  /** The URI with any password masked, for logs and messages. */
  public String redactedUri() {
    return redact(uri);
  }

  public String scheme() {
    return scheme;
  }

  /**
   * Every {@code host[:port]} entry of the authority, in the order given: one for a single host, more
   * for {@code h1:p1,h2:p2,...}.
   */
  public List<Address> addresses() {
    return addresses;
  }

  /** Every entry as {@code host:port}, with {@code defaultPort} where an entry has none. */
  public List<String> hostPorts(int defaultPort) {
    List<String> out = new ArrayList<>();
    for (Address a : addresses) {
      out.add(a.hostPort(defaultPort));
    }
    return out;
  }

  /** Host (the first entry's when the URI lists several), or the name for {@code memory://name}. */
  public String host() {
    return host;
  }

  /** The port (the first entry's when the URI lists several), or {@code defaultPort} when it has none. */
  public int port(int defaultPort) {
    return port < 0 ? defaultPort : port;
  }

  /**
   * Parameters naming the credentials instead of the user info, {@code user} and {@code password}:
   * adapters that authenticate with a user and password add them to their known parameters.
   */
  public static final Set<String> CREDENTIAL_PARAMETERS = Set.of("user", "password");

  /**
   * The user of the URI's user info, else of the {@code user} parameter, else {@code defaultUser}.
   *
   * @throws MqConfigurationException both give a user
   */
  public String user(String defaultUser) {
    if (user != null && params.containsKey("user")) {
      throw new MqConfigurationException("the user is given twice, in the URI's user info and in parameter 'user': give one");
    }
    return user != null ? user : params.getOrDefault("user", defaultUser);
  }

  /**
   * The password of the URI's user info, else of the {@code password} parameter, else
   * {@code defaultPassword}.
   *
   * @throws MqConfigurationException both give a password
   */
  public String password(String defaultPassword) {
    if (password != null && params.containsKey("password")) {
      throw new MqConfigurationException("the password is given twice, in the URI's user info and in parameter 'password': give one");
    }
    return password != null ? password : params.getOrDefault("password", defaultPassword);
  }

  /** The decoded path without its leading slash ("" when absent). */
  public String path() {
    return path;
  }

  public Map<String, String> parameters() {
    return params;
  }

  /** Parameters starting with {@code <scheme>.}, with that prefix removed. */
  public Map<String, String> vendorParameters() {
    Map<String, String> out = new LinkedHashMap<>();
    params.forEach((k, v) -> {
      if (k.startsWith(scheme + ".")) {
        out.put(k.substring(scheme.length() + 1), v);
      }
    });
    return out;
  }

  public String string(String name, String defaultValue) {
    return params.getOrDefault(name, defaultValue);
  }

  /**
   * One of {@code allowed} (compared ignoring case, returned as spelled in {@code allowed}), or
   * {@code defaultValue} when absent.
   *
   * @throws MqConfigurationException any other value, naming the allowed ones
   */
  public String choice(String name, String defaultValue, java.util.List<String> allowed) {
    String v = params.get(name);
    if (v == null) {
      return defaultValue;
    }
    for (String a : allowed) {
      if (a.equalsIgnoreCase(v.trim())) {
        return a;
      }
    }
    throw new MqConfigurationException("parameter '" + name + "' must be one of " + allowed + ", was '" + v + "'");
  }

  /**
   * An integer from {@code min} to {@code max}, or {@code defaultValue} when absent.
   *
   * @throws MqConfigurationException not an integer, or out of range (the message gives the range)
   */
  public int integer(String name, int defaultValue, int min, int max) {
    String v = params.get(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      int i = Integer.parseInt(v.trim());
      if (i < min || i > max) {
        throw new MqConfigurationException("parameter '" + name + "' must be between " + min + " and " + max + ", was " + i);
      }
      return i;
    } catch (NumberFormatException e) {
      throw new MqConfigurationException("parameter '" + name + "' must be an integer from " + min + " to " + max + ", was '" + v + "'", e);
    }
  }

  /**
   * {@code true} or {@code false} (any case), or {@code defaultValue} when absent; nothing else (not
   * {@code yes}, {@code 1} or {@code maybe}).
   *
   * @throws MqConfigurationException any other value
   */
  public boolean bool(String name, boolean defaultValue) {
    String v = params.get(name);
    return v == null ? defaultValue : strictBoolean(name, v);
  }

  /**
   * {@code value} of parameter {@code name} as a strict boolean: {@code true} or {@code false} (any
   * case). For vendor settings read from {@link #vendorParameters()}: pass the full name.
   *
   * @throws MqConfigurationException any other value
   */
  public static boolean strictBoolean(String name, String value) {
    String v = value.trim();
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new MqConfigurationException("parameter '" + name + "' must be true or false, was '" + value + "'");
  }

  /**
   * The core parameter {@code sendTimeout} (default 30 s): how long the engine waits for one send to
   * be confirmed. Adapters that size their client's timeouts after it read it here, so that the
   * default lives in one place.
   */
  public Duration sendTimeout() {
    return positiveDuration("sendTimeout", Duration.ofSeconds(30));
  }

  /**
   * The core parameter {@code txCheckInterval} (default 5 s, positive): when an emulated half message
   * is checked back.
   */
  public Duration txCheckInterval() {
    return positiveDuration("txCheckInterval", Duration.ofSeconds(5));
  }

  /**
   * The core parameter {@code connectTimeout} (default 5 s, at least 1 ms): how long connecting to the
   * broker may take before {@link io.unimq.api.Mq#connect} fails with
   * {@link io.unimq.api.MqConnectionException}. Every adapter reads it here, under this one name.
   */
  public Duration connectTimeout() {
    return positiveDuration("connectTimeout", Duration.ofSeconds(5));
  }

  /** The core parameter {@code sendRetries} (default 3, 0–100): retries of a failed or ambiguous send, with the same id. */
  public int sendRetries() {
    return integer("sendRetries", 3, 0, 100);
  }

  /**
   * A duration written {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT5S}).
   *
   * @throws MqConfigurationException not a duration, or negative
   */
  public Duration duration(String name, Duration defaultValue) {
    String v = params.get(name);
    if (v == null) {
      return defaultValue;
    }
    return parseDuration(name, v);
  }

  /**
   * As {@link #duration(String, Duration)}, and more than zero.
   *
   * @throws MqConfigurationException not a duration, zero or negative
   */
  public Duration positiveDuration(String name, Duration defaultValue) {
    Duration d = duration(name, defaultValue);
    if (d.isZero()) {
      throw new MqConfigurationException("parameter '" + name + "' must be positive, was '" + params.get(name)
          + "'; give a duration such as 500ms or 5s");
    }
    return d;
  }

  static Duration parseDuration(String name, String v) {
    Duration d = parseSignedDuration(name, v);
    if (d.isNegative()) {
      throw new MqConfigurationException("parameter '" + name + "' must not be negative, was '" + v + "'; give a duration such as 250ms, 5s or 0s");
    }
    return d;
  }

  private static Duration parseSignedDuration(String name, String v) {
    String s = v.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (s.startsWith("pt") || s.startsWith("p")) {
        return Duration.parse(s.toUpperCase(java.util.Locale.ROOT));
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      switch (s.charAt(s.length() - 1)) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 'h':
          return Duration.ofHours(n);
        default:
          break;
      }
    } catch (RuntimeException e) {
      // fall through to the error below
    }
    throw new MqConfigurationException("parameter '" + name + "' must be a duration such as 250ms, 5s, 2m or PT5S, was '" + v + "'");
  }

  @Override
  public String toString() {
    return redactedUri();
  }
}
