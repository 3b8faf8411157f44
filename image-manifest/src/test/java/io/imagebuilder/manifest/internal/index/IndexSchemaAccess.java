package io.imagebuilder.manifest.internal.index;

import java.util.List;

/** Lets tests write an index of an older schema with the exact statements it was made with. */
public final class IndexSchemaAccess {
  private IndexSchemaAccess() {}

  /** The statements of schema version 1. */
  public static List<String> version1() {
    return IndexSchema.MIGRATIONS.get(0);
  }
}
