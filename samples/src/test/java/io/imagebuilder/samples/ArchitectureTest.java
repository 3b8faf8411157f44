package io.imagebuilder.samples;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.imagebuilder.manifest.api.ImageIndex;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.Manifests;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API boundary of DESIGN.md, checked on the main classes of every module (this module depends
 * on all of them): an API package imports no internal package of another module, and there are no
 * package cycles, within a module or across modules.
 */
class ArchitectureTest {
  /** Each module: its API packages and its internal packages. */
  private record Module(String name, String api, String internal) {}

  private static final List<Module> MODULES =
      List.of(
          new Module("image-api", "io.imagebuilder.api..", "io.imagebuilder.internal.."),
          new Module(
              "image-rootfs", "io.imagebuilder.rootfs.api..", "io.imagebuilder.rootfs.internal.."),
          new Module("image-arm", "io.imagebuilder.arm.api..", "io.imagebuilder.arm.internal.."),
          new Module(
              "image-manifest",
              "io.imagebuilder.manifest.api..",
              "io.imagebuilder.manifest.internal.."));

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.imagebuilder");
  }

  @Test
  void everyModuleIsImported() {
    for (String pkg :
        List.of(
            "io.imagebuilder.api.",
            "io.imagebuilder.internal.",
            "io.imagebuilder.rootfs.",
            "io.imagebuilder.arm.",
            "io.imagebuilder.manifest.",
            "io.imagebuilder.samples.")) {
      assertTrue(
          classes.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)),
          "no main class imported from " + pkg);
    }
  }

  @Test
  void apiPackagesImportNoInternalPackageOfAnotherModule() {
    for (Module module : MODULES) {
      String[] otherInternals =
          MODULES.stream()
              .filter(m -> !m.equals(module))
              .map(Module::internal)
              .toArray(String[]::new);
      noClasses()
          .that()
          .resideInAPackage(module.api())
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(otherInternals)
          .as(module.name() + ": API packages import no internal package of another module")
          .allowEmptyShould(true)
          .check(classes);
    }
  }

  @Test
  void imageApiNamesNoImplementationModule() {
    noClasses()
        .that()
        .resideInAnyPackage("io.imagebuilder.api..", "io.imagebuilder.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            Stream.concat(
                    MODULES.stream().filter(m -> !m.name().equals("image-api")).map(Module::api),
                    MODULES.stream()
                        .filter(m -> !m.name().equals("image-api"))
                        .map(Module::internal))
                .toArray(String[]::new))
        .check(classes);
  }

  /**
   * No package cycles. One known exception, until image-manifest's facades stop calling into its
   * internals directly: {@link ImageIndex}, {@link Manifests} and {@link Manifest} (manifest.api)
   * delegate to manifest.internal, .internal.index and .internal.embedded, which use the API's
   * value types. Only those three classes' edges are ignored: any other class closing a cycle
   * fails.
   */
  @Test
  void noPackageCycles() {
    slices()
        .matching("io.imagebuilder.(**)")
        .should()
        .beFreeOfCycles()
        .ignoreDependency(
            belongToAnyOf(ImageIndex.class, Manifests.class, Manifest.class),
            resideInAPackage("io.imagebuilder.manifest.internal.."))
        .check(classes);
  }

  /**
   * What a standard stage reads is in its options record, so its id covers it (Stage's Javadoc): no
   * class of the stage modules reads the spec from the context, and no stage keeps the spec in a
   * field of its own (an options record may hold it, as the manifest stages' do).
   */
  @Test
  void standardStagesReadTheirOptionsNotTheSpec() {
    String[] stageModules = {
      "io.imagebuilder.internal.stages..",
      "io.imagebuilder.rootfs..",
      "io.imagebuilder.arm..",
      "io.imagebuilder.manifest.."
    };
    noClasses()
        .that()
        .resideInAnyPackage(stageModules)
        .should()
        .callMethod(io.imagebuilder.api.stage.StageContext.class, "spec")
        .because("a stage reads its options record, which its id is computed from")
        .check(classes);
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields()
        .that()
        .areDeclaredInClassesThat()
        .implement(io.imagebuilder.api.stage.Stage.class)
        .and()
        .areDeclaredInClassesThat()
        .resideInAnyPackage(stageModules)
        .should()
        .haveRawType(io.imagebuilder.api.spec.ImageSpec.class)
        .because("a stage is built from its options record, not from the whole spec")
        .check(classes);
  }
}
