package ml.bqx.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;
import java.util.TreeSet;

/**
 * The package rules of the main code of every module (DESIGN.md, "Packages go by capability and
 * never import in a circle"; issue 14, point 1). Tests are left out: a test may reach across.
 */
@AnalyzeClasses(packages = "ml.bqx", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageRulesTest {
  /**
   * The rules see every module's main code: a module left out of this module's pom would pass them
   * unseen. One top-level package under ml.bqx per module; a new module goes here and in the pom.
   */
  @ArchTest
  static void everyModulesMainCode_isImported(JavaClasses classes) {
    Set<String> roots = new TreeSet<>();
    for (JavaClass c : classes) {
      String[] parts = c.getPackageName().split("\\.");
      if (parts.length > 2) {
        roots.add(parts[2]);
      }
    }
    assertThat(roots)
        .containsExactlyInAnyOrder(
            "core", "wire", "gcp", "local", "trainingfile", "job", "functions", "bench", "cli");
  }

  /** Each package is its own slice: ml.bqx.job and ml.bqx.job.merge may not import each other. */
  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("ml.bqx.(**)").as("packages of ml.bqx").should().beFreeOfCycles();

  /** core holds the contracts and ports: no cloud SDK, gRPC, protobuf or DuckDB behind them. */
  @ArchTest
  static final ArchRule coreUsesNoCloudSdk =
      noClasses()
          .that()
          .resideInAPackage("ml.bqx.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "com.google.cloud..",
              "com.google.api..",
              "com.google.pubsub..",
              "com.google.protobuf..",
              "com.google.events..",
              "io.grpc..",
              "org.duckdb..")
          .because("core's ports are in JDK and Arrow types, never a cloud SDK's (DESIGN.md)");

  @ArchTest
  static final ArchRule gcpNeverUsesLocal =
      noClasses()
          .that()
          .resideInAPackage("ml.bqx.gcp..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("ml.bqx.local..")
          .because("adapters see only core's ports and model, never each other");

  @ArchTest
  static final ArchRule localNeverUsesGcp =
      noClasses()
          .that()
          .resideInAPackage("ml.bqx.local..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("ml.bqx.gcp..")
          .because("adapters see only core's ports and model, never each other");

  @ArchTest
  static final ArchRule functionsNeverUseTheJob =
      noClasses()
          .that()
          .resideInAPackage("ml.bqx.functions..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("ml.bqx.job..")
          .because("the functions' deploy jar must not carry the job (nor its Parquet and Hadoop)");

  @ArchTest
  static final ArchRule theTrainingFileNeverUsesTheJob =
      noClasses()
          .that()
          .resideInAPackage("ml.bqx.trainingfile..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("ml.bqx.job..", "ml.bqx.functions..", "ml.bqx.cli..")
          .because("the job, the functions and the CLI all check files with it");
}
