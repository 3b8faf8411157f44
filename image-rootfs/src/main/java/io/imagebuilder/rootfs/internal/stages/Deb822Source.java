package io.imagebuilder.rootfs.internal.stages;

import java.util.List;

/**
 * One apt source in deb822 form, as written to {@code /etc/apt/sources.list.d/<name>.sources}.
 * Every source names the key that signs it ({@code Signed-By}), so a key trusts only its source.
 *
 * @param name file name without extension
 * @param uri archive root
 * @param suites suites, e.g. {@code [bookworm]}
 * @param components e.g. {@code [main]}
 * @param signedBy path of the key inside the image, or null for a source the spec explicitly
 *     allowed to be unsigned (then marked {@code Trusted: yes})
 */
record Deb822Source(
    String name, String uri, List<String> suites, List<String> components, String signedBy) {
  Deb822Source {
    suites = List.copyOf(suites);
    components = List.copyOf(components);
  }

  /** The path of the file inside the image. */
  String path() {
    return "/etc/apt/sources.list.d/" + name + ".sources";
  }

  String render() {
    return "Types: deb\n"
        + "URIs: "
        + uri
        + "\n"
        + "Suites: "
        + String.join(" ", suites)
        + "\n"
        + "Components: "
        + String.join(" ", components)
        + "\n"
        + (signedBy == null ? "Trusted: yes\n" : "Signed-By: " + signedBy + "\n");
  }
}
