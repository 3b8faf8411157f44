package io.imagebuilder.api.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.imagebuilder.internal.validate.Checks;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Launchpad personal package archive, {@code ppa:owner/name}, with the key it is signed by.
 *
 * @param ppa the PPA as {@code ppa:owner/name}
 * @param fingerprint the signing key's fingerprint; without {@code keyFile} the key is fetched by
 *     it from a keyserver, with {@code keyFile} that file must hold it
 * @param keyFile path to the PPA's public key (armored or binary)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Ppa(String ppa, String fingerprint, String keyFile) {
  private static final Pattern PPA =
      Pattern.compile("ppa:([a-z0-9][a-z0-9+.-]*)/([a-z0-9][a-zA-Z0-9+._-]*)");

  /** What a key id or fingerprint looks like; such a value is never read as a file name. */
  private static final Pattern KEY_ID = Pattern.compile("(0[xX])?[0-9A-Fa-f ]+");

  private static final String FORMS =
      "expected ppa:owner/name, ppa:owner/name=FINGERPRINT (40 hex digits) or ppa:owner/name=KEYFILE";

  /**
   * Checks the PPA's form.
   *
   * @param ppa the PPA as {@code ppa:owner/name}
   * @param fingerprint the signing key's fingerprint; without {@code keyFile} the key is fetched by
   *     it from a keyserver, with {@code keyFile} that file must hold it
   * @param keyFile path to the PPA's public key (armored or binary)
   * @throws IllegalArgumentException naming the value and the expected forms
   */
  public Ppa {
    if (ppa == null || !PPA.matcher(ppa).matches()) {
      throw new IllegalArgumentException("invalid PPA '" + ppa + "' (expected ppa:owner/name)");
    }
    if (fingerprint != null) {
      fingerprint = Checks.fingerprint(fingerprint);
    }
    if (keyFile != null && keyFile.isBlank()) {
      throw new IllegalArgumentException(
          "invalid key file '' for " + ppa + " (expected a path to an OpenPGP key)");
    }
  }

  /**
   * Parses the forms a PPA is written in on the command line and in build requests:
   *
   * <ul>
   *   <li>{@code ppa:owner/name}: no key given; the build asks Launchpad for the fingerprint of the
   *       PPA's signing key, like {@code add-apt-repository} does;
   *   <li>{@code ppa:owner/name=FINGERPRINT}: 40 hex digits (spaces allowed), the pinned key;
   *   <li>{@code ppa:owner/name=KEYFILE}: a path to the key; a file whose name is only hex digits
   *       is written as {@code ./NAME}, since such a value is read as a fingerprint.
   * </ul>
   *
   * The key file is taken as written here; {@code ImageBuilder.withPpa(String)} also checks that it
   * is readable.
   *
   * @param value {@code ppa:owner/name}, optionally with {@code =FINGERPRINT} or {@code =KEYFILE}
   * @return the PPA
   * @throws IllegalArgumentException naming the value and the expected forms
   */
  public static Ppa parse(String value) {
    int eq = value == null ? -1 : value.indexOf('=');
    String ppa = eq < 0 ? value : value.substring(0, eq);
    String key = eq < 0 ? null : value.substring(eq + 1).trim();
    if (ppa == null || !PPA.matcher(ppa).matches() || (key != null && key.isEmpty())) {
      throw new IllegalArgumentException("invalid PPA '" + value + "' (" + FORMS + ")");
    }
    if (key == null) {
      return new Ppa(ppa, null, null);
    }
    if (!KEY_ID.matcher(key).matches()) {
      return new Ppa(ppa, null, key);
    }
    try {
      return new Ppa(ppa, Checks.fingerprint(key), null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid PPA '"
              + value
              + "': '"
              + key
              + "' is no key fingerprint ("
              + FORMS
              + "; a short key id is not enough)",
          e);
    }
  }

  /** {@return the Launchpad owner, {@code owner} of {@code ppa:owner/name}} */
  @JsonIgnore
  public String owner() {
    return part(1);
  }

  /** {@return the archive name, {@code name} of {@code ppa:owner/name}} */
  @JsonIgnore
  public String archive() {
    return part(2);
  }

  /** {@return the archive root on Launchpad; the suite is the Ubuntu series} */
  @JsonIgnore
  public String uri() {
    return "https://ppa.launchpadcontent.net/" + owner() + "/" + archive() + "/ubuntu";
  }

  private String part(int group) {
    Matcher m = PPA.matcher(ppa);
    m.matches();
    return m.group(group);
  }
}
