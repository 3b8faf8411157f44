package io.imagebuilder.internal.io;

import java.nio.file.Path;

/** For tests: holds the lock of the file args[0] and prints "locked", until it is killed. */
public final class LockHolderMain {
  private LockHolderMain() {}

  public static void main(String[] args) throws Exception {
    DirectoryLock lock = DirectoryLock.tryAcquire(Path.of(args[0])).orElseThrow();
    System.out.println("locked " + lock.file());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
