package ml.bqx.cli.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The workdir can be written: it is a writable folder, or it does not exist yet and its nearest
 * existing parent is one (the run creates it). Nothing is written to find out.
 */
final class WorkdirCheck implements Check {
  private final Path workdir;

  WorkdirCheck(Path workdir) {
    this.workdir = workdir;
  }

  @Override
  public List<CheckResult> run() {
    Path existing = nearestExisting(workdir);
    String fix = "choose another --workdir, or make " + existing + " a folder you can write";
    if (!Files.isDirectory(existing)) {
      return List.of(
          CheckResult.fail(
              "workdir", existing + " is not a folder, so " + workdir + " cannot be made", fix));
    }
    if (!Files.isWritable(existing)) {
      return List.of(CheckResult.fail("workdir", existing + " is not writable", fix));
    }
    return List.of(
        CheckResult.ok(
            "workdir",
            existing.equals(workdir)
                ? workdir + " is writable"
                : workdir + " will be created in " + existing + ", which is writable"));
  }

  /** The path itself, or its nearest ancestor that exists. */
  static Path nearestExisting(Path path) {
    Path at = path.toAbsolutePath().normalize();
    while (at != null && !Files.exists(at)) {
      at = at.getParent();
    }
    return at == null ? path.toAbsolutePath().getRoot() : at;
  }
}
