package io.imagebuilder.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The API boundary of DESIGN.md for this module: its API package imports no internal package of
 * another module (it reaches them through its own internals), and its packages have no cycle.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.imagebuilder.testing");

  @Test
  void theApiImportsNoInternalPackageOfAnotherModule() {
    noClasses()
        .that()
        .resideInAPackage("io.imagebuilder.testing")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.imagebuilder.internal..",
            "io.imagebuilder.rootfs.internal..",
            "io.imagebuilder.arm.internal..",
            "io.imagebuilder.manifest.internal..")
        .check(CLASSES);
  }

  @Test
  void noPackageCycles() {
    slices().matching("io.imagebuilder.(**)").should().beFreeOfCycles().check(CLASSES);
  }
}
