package io.imagebuilder.rootfs.internal.stages;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The names apt gives what it keeps in {@code /var/lib/apt/lists}: every file is named after the
 * URI it comes from, so an InRelease or Packages file written there natively must have exactly the
 * name apt 2.x would give it, or apt will not find it.
 *
 * <p>apt's rules (apt-pkg/contrib/strutl.cc and deb/debmetaindex.cc): an archive URI from the
 * sources is normalised (split into scheme, user, password, host, port and path, put together
 * again, {@code /} appended); the Release of suite {@code S} is at {@code <uri>dists/<S>/InRelease}
 * and an index at {@code <uri>dists/<S>/<component>/binary-<arch>/Packages}, with the suite and the
 * file name {@code %}-escaped where they hold {@code + ~}, blanks, {@code %} or other than
 * printable ASCII; a flat repository's suite ends in {@code /} and has no {@code dists/}. The list
 * file's name is that URI without scheme, user and password, with {@code %}, control and non-ASCII
 * bytes and {@code \|{}[]<>"^~_=!@#$%&*} escaped as {@code %xx} (lower-case hex), then every {@code
 * /} turned into {@code _}. So {@code http://deb.debian.org/debian}'s bookworm InRelease is {@code
 * deb.debian.org_debian_dists_bookworm_InRelease}, a port stays as {@code host:8080}, a {@code ~}
 * becomes {@code %7e} (in a suite, already escaped once for the URI, {@code %257e}) and a {@code
 * file:/srv/repo} starts with {@code _srv_repo}.
 */
final class AptListNames {
  /** Escaped in list file names, besides '%', blanks, control characters and non-ASCII bytes. */
  private static final String FILE_NAME_ESCAPED = "\\|{}[]<>\"^~_=!@#$%^&*";

  /** Escaped where apt puts a suite or file name into a URI (its Acquire::URIEncode default). */
  private static final String URI_ESCAPED = "+~ ";

  /** Escaped in the user and password of a normalised URI. */
  private static final String USERINFO_ESCAPED = ":/?#[]@";

  private AptListNames() {}

  /**
   * A URI split the way apt splits it.
   *
   * @param port 0 when the URI gives none
   * @param path never empty: {@code /} when the URI has none
   */
  record Parts(String scheme, String user, String password, String host, int port, String path) {}

  /** The archive URI as apt keeps it for a source: normalised, ending in {@code /}. */
  static String archiveUri(String uri) {
    String normalised = render(parse(uri), true);
    return normalised.endsWith("/") ? normalised : normalised + "/";
  }

  /**
   * The URI of a Release file ({@code InRelease}, {@code Release}, {@code Release.gpg}) of a suite;
   * {@code archiveUri} as {@link #archiveUri} gives it.
   */
  static String releaseUri(String archiveUri, String suite, String fileName) {
    return suiteUri(archiveUri, suite) + escape(fileName, URI_ESCAPED);
  }

  /**
   * The URI of an index, {@code metaKey} as the Release lists it (e.g. {@code
   * main/binary-arm64/Packages}).
   */
  static String indexUri(String archiveUri, String suite, String metaKey) {
    return suiteUri(archiveUri, suite) + metaKey;
  }

  private static String suiteUri(String archiveUri, String suite) {
    if (suite.equals("/")) {
      return archiveUri;
    }
    if (suite.endsWith("/")) {
      return archiveUri + escape(suite, URI_ESCAPED);
    }
    return archiveUri + "dists/" + escape(suite, URI_ESCAPED) + "/";
  }

  /** The name of the file in apt's lists that holds what apt fetched from {@code uri}. */
  static String fileName(String uri) {
    Parts p = parse(uri);
    String bare = render(new Parts("", "", "", p.host(), p.port(), p.path()), false);
    return escape(bare, FILE_NAME_ESCAPED).replace('/', '_');
  }

  /**
   * Splits a URI: the scheme ends at the first {@code :}; a {@code //} after it starts the
   * authority, which ends at the first {@code /} outside brackets; user and password come before
   * its last {@code @} and are {@code %}-decoded; the port follows the host's last {@code :}
   * outside brackets.
   *
   * @throws IllegalArgumentException when {@code uri} has no scheme
   */
  static Parts parse(String uri) {
    int colon = uri.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("invalid URI '" + uri + "' (expected scheme:...)");
    }
    String scheme = uri.substring(0, colon);
    boolean slashes = colon + 3 < uri.length() && uri.startsWith("//", colon + 1);
    int authorityEnd = slashes ? colon + 3 : colon;
    boolean inBracket = false;
    while (authorityEnd < uri.length() && (uri.charAt(authorityEnd) != '/' || inBracket)) {
      char c = uri.charAt(authorityEnd);
      if (c == '[') {
        inBracket = true;
      } else if (c == ']' && inBracket) {
        inBracket = false;
      }
      authorityEnd++;
    }
    String path = authorityEnd < uri.length() ? uri.substring(authorityEnd) : "/";
    int authorityStart = uri.startsWith("//", colon + 1) ? colon + 3 : colon + 1;
    if (authorityStart >= uri.length()) {
      return new Parts(scheme, "", "", "", 0, path);
    }
    authorityStart = Math.min(authorityStart, authorityEnd);
    String authority = uri.substring(authorityStart, authorityEnd);
    String user = "";
    String password = "";
    // The '@' is searched for from the end, never at the authority's first character.
    int at = authority.lastIndexOf('@');
    String host = authority;
    if (at > 0) {
      host = authority.substring(at + 1);
      String userInfo = authority.substring(0, at);
      int userColon = userInfo.indexOf(':', 1);
      user = unescape(userColon < 0 ? userInfo : userInfo.substring(0, userColon));
      password = userColon < 0 ? "" : unescape(userInfo.substring(userColon + 1));
    }
    StringBuilder bare = new StringBuilder();
    int bracketEnd = 0;
    inBracket = false;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == '[') {
        inBracket = true;
      } else if (c == ']' && inBracket) {
        inBracket = false;
        bracketEnd = bare.length();
      } else {
        bare.append(c);
      }
    }
    if (inBracket) {
      return new Parts(scheme, user, password, "", 0, path);
    }
    int portColon = bare.lastIndexOf(":");
    if (portColon < 0 || portColon < bracketEnd) {
      return new Parts(scheme, user, password, bare.toString(), 0, path);
    }
    return new Parts(
        scheme,
        user,
        password,
        bare.substring(0, portColon),
        leadingNumber(bare.substring(portColon + 1)),
        path);
  }

  /** The URI of {@code p}, with scheme, user and password when {@code full}. */
  private static String render(Parts p, boolean full) {
    StringBuilder sb = new StringBuilder();
    boolean scheme = full && !p.scheme().isEmpty();
    if (scheme) {
      sb.append(p.scheme()).append(':');
    }
    if (!p.host().isEmpty()) {
      if (scheme) {
        sb.append("//");
      }
      if (full && !p.user().isEmpty()) {
        sb.append(escape(p.user(), USERINFO_ESCAPED));
        if (!p.password().isEmpty()) {
          sb.append(':').append(escape(p.password(), USERINFO_ESCAPED));
        }
        sb.append('@');
      }
      boolean bracket = scheme && (p.host().indexOf('/') >= 0 || p.host().indexOf(':') >= 0);
      sb.append(bracket ? "[" + p.host() + "]" : p.host());
      if (p.port() != 0) {
        sb.append(':').append(p.port());
      }
    }
    if (!p.path().isEmpty()) {
      if (p.path().charAt(0) != '/') {
        sb.append('/');
      }
      sb.append(p.path());
    }
    return sb.toString();
  }

  /**
   * {@code s} with each UTF-8 byte that is in {@code escaped}, a {@code %}, a blank, a control
   * character or not ASCII written as {@code %xx}.
   */
  static String escape(String s, String escaped) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c <= 0x20 || c >= 0x7f || c == '%' || escaped.indexOf(c) >= 0) {
        sb.append('%')
            .append(Character.forDigit(c >> 4, 16))
            .append(Character.forDigit(c & 0xf, 16));
      } else {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  /** {@code s} with each {@code %xx} decoded to its byte. */
  static String unescape(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%'
          && i + 2 < bytes.length
          && hex(bytes[i + 1]) >= 0
          && hex(bytes[i + 2]) >= 0) {
        out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte b) {
    return Character.digit(b, 16);
  }

  /** The number {@code s} starts with, 0 when it starts with none (C's atoi for a port). */
  private static int leadingNumber(String s) {
    int n = 0;
    for (int i = 0; i < s.length() && Character.isDigit(s.charAt(i)) && n < 100_000_000; i++) {
      n = n * 10 + (s.charAt(i) - '0');
    }
    return n;
  }
}
