package ml.bqx.cli.doctor;

import java.util.List;

/** One preflight check: what it found, as one or more lines (one per resource it looked at). */
public interface Check {
  List<CheckResult> run() throws Exception;
}
