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
 * @param fingerprint the signing key's fingerprint; without {@code keyFile} the key is fetched
 *     by it from a keyserver, with {@code keyFile} that file must hold it
 * @param keyFile path to the PPA's public key (armored or binary)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Ppa(String ppa, String fingerprint, String keyFile) {
  private static final Pattern PPA =
      Pattern.compile("ppa:([a-z0-9][a-z0-9+.-]*)/([a-z0-9][a-zA-Z0-9+._-]*)");

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

  /** Parses {@code ppa:owner/name} without a key (one must be added before building). */
  public static Ppa parse(String value) {
    return new Ppa(value, null, null);
  }

  @JsonIgnore
  public String owner() {
    return part(1);
  }

  @JsonIgnore
  public String archive() {
    return part(2);
  }

  /** The archive root on Launchpad; the suite is the Ubuntu series. */
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
