package ml.bqx.local.launcher;

/** The shell wrapper around a child job: runs it, then writes its exit code atomically. */
final class ExitRecorder {
  /** $1 is the exit file; the rest is the command. A signal's code is 128 + signal. */
  static final String SCRIPT =
      "exit_file=\"$1\"; shift; \"$@\" & child=$!;"
          + " trap 'kill -TERM $child 2>/dev/null' TERM INT;"
          + " wait $child; code=$?;"
          + " if kill -0 $child 2>/dev/null; then wait $child; code=$?; fi;"
          + " echo $code > \"$exit_file.tmp\" && mv \"$exit_file.tmp\" \"$exit_file\";"
          + " exit $code";

  private ExitRecorder() {}
}
