package ml.bqx.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ml.bqx.core.config.Deployment;
import org.junit.jupiter.api.Test;

/** The Dockerfile against the build: passes on the real files, fails on each mutated copy. */
class DockerfileContractTest {
  private static final Path ROOT = Path.of(System.getProperty("bqx.repo.root", ".."));

  /** The shaded-jar build section the job's pom is to carry (used where the real pom lacks it). */
  @Test
  void realDockerfile_agreesWithTheBuild() throws IOException {
    assertThat(violations(read("Dockerfile"), realPom())).isEmpty();
  }

  @Test
  void realJobPom_buildsTheJarTheDockerfileRunsWithTheJobMainClass() throws IOException {
    JobPom pom = realPom();
    assertThat(pom.jarName()).contains("pipeline-job.jar");
    assertThat(pom.mainClass()).contains(Deployment.JOB_MAIN_CLASS);
    assertThat(violations(read("Dockerfile"), pom)).isEmpty();
  }

  @Test
  void shadedJobPom_withTheRealDockerfile_agrees() throws IOException {
    assertThat(violations(read("Dockerfile"), shadedPom())).isEmpty();
  }

  @Test
  void jarNameOtherThanTheBuildProduces_isReported() throws IOException {
    String dockerfile =
        read("Dockerfile").replace("target/pipeline-job.jar", "target/bqx-pipeline-job.jar");
    assertThat(violations(dockerfile, shadedPom()))
        .contains(
            "runtime stage copies /src/pipeline-job/target/bqx-pipeline-job.jar but the build"
                + " produces /src/pipeline-job/target/pipeline-job.jar");
  }

  @Test
  void jarStartingAnotherMainClass_isReported() throws IOException {
    JobPom pom =
        JobPom.parse(
            read("pipeline-job/pom.xml")
                .replace(
                    "<mainClass>" + Deployment.JOB_MAIN_CLASS + "</mainClass>",
                    "<mainClass>x.Main</mainClass>"));
    assertThat(violations(read("Dockerfile"), pom))
        .contains(
            "pipeline-job jar's Main-Class is x.Main, not the job's main class "
                + Deployment.JOB_MAIN_CLASS);
  }

  @Test
  void entrypointWithoutAddOpens_isReported() throws IOException {
    String dockerfile =
        read("Dockerfile").replace("\"--add-opens=java.base/java.nio=ALL-UNNAMED\", ", "");
    assertThat(violations(dockerfile, shadedPom()))
        .contains("ENTRYPOINT lacks --add-opens=java.base/java.nio=ALL-UNNAMED");
  }

  @Test
  void entrypointWithoutContainerMemory_isReported() throws IOException {
    String dockerfile = read("Dockerfile").replace("\"-XX:MaxRAMPercentage=70\", ", "");
    assertThat(violations(dockerfile, shadedPom()))
        .contains("ENTRYPOINT lacks container-aware memory (-XX:MaxRAMPercentage)");
  }

  @Test
  void entrypointRunningAnotherJar_isReported() throws IOException {
    String dockerfile =
        read("Dockerfile")
            .replace("\"-jar\", \"/app/pipeline-job.jar\"", "\"-jar\", \"/app/other.jar\"");
    assertThat(violations(dockerfile, shadedPom()))
        .contains("ENTRYPOINT does not run the copied jar /app/pipeline-job.jar with -jar");
  }

  @Test
  void runningAsRoot_isReported() throws IOException {
    String dockerfile = read("Dockerfile").replace("USER 10001:10001", "USER root");
    assertThat(violations(dockerfile, shadedPom()))
        .contains("runtime stage does not switch to a non-root USER");
  }

  @Test
  void moduleNotCopied_isReported() throws IOException {
    String dockerfile = read("Dockerfile").replace("COPY cli/ cli/\n", "");
    assertThat(violations(dockerfile, shadedPom()))
        .contains("build stage does not copy module cli (the reactor needs it)");
  }

  @Test
  void copyOfSomethingNotInTheRepository_isReported() throws IOException {
    String dockerfile =
        read("Dockerfile")
            .replace("COPY cli/ cli/\n", "COPY cli/ cli/\nCOPY no-such-folder/ no-such-folder/\n");
    assertThat(violations(dockerfile, shadedPom()))
        .contains("build stage copies no-such-folder, which is not in the repository");
  }

  @Test
  void localStandInShippedWithTheJob_isReported() throws IOException {
    String pom =
        read("pipeline-job/pom.xml")
            .replace(
                "</dependencies>",
                "<dependency><groupId>ml.bqx</groupId><artifactId>bqx-local</artifactId></dependency></dependencies>");
    assertThat(violations(read("Dockerfile"), JobPom.parse(pom)))
        .contains("pipeline-job depends on bqx-local at scope compile: it would ship in the image");
  }

  private static List<String> violations(String dockerfile, JobPom pom) throws IOException {
    return DockerfileContract.violations(
        dockerfile, read(".dockerignore"), read("pom.xml"), pom, ROOT);
  }

  private static JobPom realPom() throws IOException {
    return JobPom.parse(read("pipeline-job/pom.xml"));
  }

  /** The real job pom, which declares the shaded jar the image runs. */
  private static JobPom shadedPom() throws IOException {
    return realPom();
  }

  private static String read(String file) throws IOException {
    return Files.readString(ROOT.resolve(file), StandardCharsets.UTF_8);
  }
}
