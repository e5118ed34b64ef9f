package ml.bqx.cli.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import ml.bqx.cli.dryrun.DryRunView;

/**
 * The workdir's disk has room for the run: the warehouse still to seed, every pair's training file,
 * and, for the pairs running at once, their checkpoints and staging file (each about the pair's
 * bytes: random doubles do not compress).
 */
final class DiskCheck implements Check {
  private final Path workdir;
  private final long toSeedBytes;
  private final long bytesPerPair;
  private final int pairs;
  private final int atOnce;

  DiskCheck(Path workdir, long toSeedBytes, long bytesPerPair, int pairs, int atOnce) {
    this.workdir = workdir;
    this.toSeedBytes = toSeedBytes;
    this.bytesPerPair = bytesPerPair;
    this.pairs = pairs;
    this.atOnce = atOnce;
  }

  /** Bytes the run needs on the workdir's disk. */
  long needed() {
    return toSeedBytes + bytesPerPair * pairs + 2 * bytesPerPair * Math.min(pairs, atOnce);
  }

  @Override
  public List<CheckResult> run() throws IOException {
    Path existing = WorkdirCheck.nearestExisting(workdir);
    long free = Files.getFileStore(existing).getUsableSpace();
    long needed = needed();
    String found =
        String.format(
            Locale.ROOT,
            "%s free under %s, the run needs about %s (%d pairs, %d at once%s)",
            gb(free),
            existing,
            gb(needed),
            pairs,
            Math.min(pairs, atOnce),
            toSeedBytes > 0 ? ", " + gb(toSeedBytes) + " of warehouse to seed" : "");
    return List.of(
        free >= needed
            ? CheckResult.ok("disk", found)
            : CheckResult.fail(
                "disk",
                found,
                "free "
                    + gb(needed - free)
                    + ", or choose a smaller --scale, fewer pairs or a"
                    + " --workdir on a bigger disk"));
  }

  private static String gb(long bytes) {
    return DryRunView.bytes(bytes);
  }
}
