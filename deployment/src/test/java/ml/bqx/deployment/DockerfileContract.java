package ml.bqx.deployment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ml.bqx.core.config.Deployment;

/**
 * Compares the Dockerfile with the build: it copies what the build needs and produces, and its
 * entrypoint starts the job's jar with the flags the job needs, as a non-root user.
 */
final class DockerfileContract {
  static final String BUILD_IMAGE = "maven:3.9-eclipse-temurin-17";
  static final String RUNTIME_IMAGE = "eclipse-temurin:17-jre";
  static final String ADD_OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED";
  private static final Set<String> NOT_IN_IMAGE = Set.of("bqx-local", "duckdb_jdbc");
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern JSON_ARG = Pattern.compile("\"([^\"]*)\"");

  private DockerfileContract() {}

  /** The job module's name in the reactor. */
  static final String JOB_MODULE = "pipeline-job";

  static List<String> violations(
      String dockerfile, String dockerignore, String parentPom, JobPom jobPom, Path repoRoot) {
    List<String> out = new ArrayList<>();
    List<String> lines = logicalLines(dockerfile);
    List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    if (froms.size() != 2
        || !froms.get(0).matches("FROM " + Pattern.quote(BUILD_IMAGE) + " AS build")
        || !froms.get(1).equals("FROM " + RUNTIME_IMAGE)) {
      out.add("stages must be: FROM " + BUILD_IMAGE + " AS build, then FROM " + RUNTIME_IMAGE);
    }
    int runtimeStart = lines.indexOf(froms.isEmpty() ? "" : froms.get(froms.size() - 1));
    List<String> build = lines.subList(0, Math.max(runtimeStart, 0));
    List<String> runtime = lines.subList(Math.max(runtimeStart, 0), lines.size());

    // The build stage: every module the parent lists (Maven refuses a missing one), sources only.
    String workdir =
        build.stream()
            .filter(l -> l.startsWith("WORKDIR "))
            .map(l -> l.substring(8).trim())
            .reduce((a, b) -> b)
            .orElse("/");
    List<String> copied = new ArrayList<>();
    for (String l : build) {
      if (l.startsWith("COPY ")) {
        String[] parts = l.substring(5).trim().split("\\s+");
        for (int i = 0; i < parts.length - 1; i++) {
          String source = parts[i].replaceAll("/$", "");
          copied.add(source);
          if (!Files.exists(repoRoot.resolve(source))) {
            out.add("build stage copies " + source + ", which is not in the repository");
          }
          if (ignored(dockerignore, source)) {
            out.add("build stage copies " + source + ", which .dockerignore leaves out");
          }
        }
      }
    }
    if (!copied.contains("pom.xml")) {
      out.add("build stage does not copy the parent pom.xml");
    }
    Matcher modules = MODULE.matcher(parentPom);
    while (modules.find()) {
      if (!copied.contains(modules.group(1))) {
        out.add("build stage does not copy module " + modules.group(1) + " (the reactor needs it)");
      }
    }
    boolean packagesJob =
        build.stream()
            .anyMatch(
                l ->
                    l.startsWith("RUN mvn ")
                        && l.contains("-pl " + JOB_MODULE)
                        && l.contains(" -am")
                        && l.contains(" package"));
    if (!packagesJob) {
      out.add("build stage does not run mvn -pl " + JOB_MODULE + " -am package");
    }

    // The runtime stage: the jar the build produced, a non-root user, the job's JVM flags.
    String jarCopiedTo = null;
    for (String l : runtime) {
      if (l.startsWith("COPY ")) {
        if (!l.contains("--from=build")) {
          out.add("runtime stage copies from outside the build stage: " + l);
          continue;
        }
        String[] parts = l.split("\\s+");
        String source = parts[parts.length - 2];
        jarCopiedTo = parts[parts.length - 1];
        String expected =
            Path.of(workdir, JOB_MODULE, "target", jobPom.jarName().orElse("<jar>")).toString();
        if (jobPom.jarName().isPresent() && !source.equals(expected)) {
          out.add("runtime stage copies " + source + " but the build produces " + expected);
        } else if (!source.startsWith(Path.of(workdir, JOB_MODULE, "target").toString() + "/")) {
          out.add("runtime stage copies " + source + ", not a build output of " + JOB_MODULE);
        }
      }
    }
    Optional<String> user =
        runtime.stream()
            .filter(l -> l.startsWith("USER "))
            .map(l -> l.substring(5).trim())
            .reduce((a, b) -> b);
    if (user.isEmpty() || user.get().startsWith("root") || user.get().startsWith("0")) {
      out.add("runtime stage does not switch to a non-root USER");
    }
    Optional<String> entrypoint =
        runtime.stream().filter(l -> l.startsWith("ENTRYPOINT ")).reduce((a, b) -> b);
    if (entrypoint.isEmpty() || !entrypoint.get().contains("[")) {
      out.add("no exec-form ENTRYPOINT in the runtime stage");
    } else {
      List<String> args = new ArrayList<>();
      Matcher m = JSON_ARG.matcher(entrypoint.get());
      while (m.find()) {
        args.add(m.group(1));
      }
      if (args.isEmpty() || !args.get(0).equals("java")) {
        out.add("ENTRYPOINT does not start java");
      }
      if (!args.contains(ADD_OPENS)) {
        out.add("ENTRYPOINT lacks " + ADD_OPENS);
      }
      if (args.stream().noneMatch(a -> a.startsWith("-XX:MaxRAMPercentage="))) {
        out.add("ENTRYPOINT lacks container-aware memory (-XX:MaxRAMPercentage)");
      }
      int jar = args.indexOf("-jar");
      if (jar < 0 || jar + 1 >= args.size() || !args.get(jar + 1).equals(jarCopiedTo)) {
        out.add("ENTRYPOINT does not run the copied jar " + jarCopiedTo + " with -jar");
      }
    }

    // The jar starts the job's main class.
    if (jobPom.mainClass().isPresent()
        && !jobPom.mainClass().get().equals(Deployment.JOB_MAIN_CLASS)) {
      out.add(
          JOB_MODULE
              + " jar's Main-Class is "
              + jobPom.mainClass().get()
              + ", not the job's main class "
              + Deployment.JOB_MAIN_CLASS);
    }

    // No DuckDB or local stand-in reaches the job's jar.
    for (JobPom.Dependency d : jobPom.dependencies()) {
      if (NOT_IN_IMAGE.contains(d.artifactId()) && !d.scope().equals("test")) {
        out.add(
            JOB_MODULE
                + " depends on "
                + d.artifactId()
                + " at scope "
                + d.scope()
                + ": it would ship in the image");
      }
    }
    return out;
  }

  private static boolean ignored(String dockerignore, String source) {
    for (String line : dockerignore.split("\n")) {
      String rule = line.trim();
      if (!rule.isEmpty() && !rule.startsWith("#") && rule.equals(source)) {
        return true;
      }
    }
    return false;
  }

  /** Dockerfile lines with continuations joined and comments dropped. */
  private static List<String> logicalLines(String dockerfile) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : dockerfile.split("\n")) {
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      if (current.length() > 0) {
        out.add(current.toString().trim());
      }
      current.setLength(0);
    }
    return out;
  }
}
