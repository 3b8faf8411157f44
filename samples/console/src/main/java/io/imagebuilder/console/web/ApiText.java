package io.imagebuilder.console.web;

/** Values quoted in messages, cut short. */
final class ApiText {
  private ApiText() {}

  static String excerpt(String s) {
    if (s == null) {
      return "null";
    }
    String clean = s.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 80 ? clean.substring(0, 80) + "..." : clean;
  }
}
