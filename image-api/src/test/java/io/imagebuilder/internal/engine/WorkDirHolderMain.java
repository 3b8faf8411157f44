package io.imagebuilder.internal.engine;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For tests: makes a work directory under args[0] as a build does, prints it, runs until killed.
 */
public final class WorkDirHolderMain {
  private WorkDirHolderMain() {}

  public static void main(String[] args) throws Exception {
    StaleWorkDirs.Owned owned = StaleWorkDirs.create(Path.of(args[0]));
    Files.writeString(owned.dir().resolve("half-built"), "x");
    System.out.println(owned.dir());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
