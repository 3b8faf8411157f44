package io.imagebuilder.console;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The console embeds the library through its public API only, as any other service would. */
class ConsoleArchitectureTest {
  private static final JavaClasses CONSOLE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.imagebuilder.console");

  @Test
  void usesNoInternalPackageOfTheLibrary() {
    noClasses()
        .that()
        .resideInAPackage("io.imagebuilder.console..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.imagebuilder.internal..",
            "io.imagebuilder.rootfs.internal..",
            "io.imagebuilder.arm.internal..",
            "io.imagebuilder.manifest.internal..",
            "io.imagebuilder.samples..")
        .check(CONSOLE);
  }

  @Test
  void hasNoPackageCycles() {
    slices().matching("io.imagebuilder.console.(**)").should().beFreeOfCycles().check(CONSOLE);
  }
}
