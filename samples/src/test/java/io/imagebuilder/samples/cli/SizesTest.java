package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SizesTest {
  @Test
  void humanSizesUseBinaryUnitsWithOneDecimal() {
    assertEquals("0 B", Sizes.human(0));
    assertEquals("1023 B", Sizes.human(1023));
    assertEquals("1.0 KiB", Sizes.human(1024));
    assertEquals("1.5 KiB", Sizes.human(1536));
    assertEquals("123.4 MiB", Sizes.human(129_394_278L)); // 123.4 * 2^20 = 129394278.4
    assertEquals("1.0 GiB", Sizes.human(1024L * 1024 * 1024 - 1)); // not "1024.0 MiB"
    assertEquals("2.5 GiB", Sizes.human(5L * 512 * 1024 * 1024));
  }

  @Test
  void pairsShareTheUnitOfTheLargerNumber() {
    assertEquals("12.3/27.0 MiB", Sizes.pair(12_897_484L, 28_311_552L));
    assertEquals("0.0/8.0 MiB", Sizes.pair(0, 8L * 1024 * 1024));
    assertEquals("512/1000 B", Sizes.pair(512, 1000));
  }
}
