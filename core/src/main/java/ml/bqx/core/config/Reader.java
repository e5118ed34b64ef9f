package ml.bqx.core.config;

/** Which deployed part reads an environment variable; terraform must set it there. */
public enum Reader {
  /** The pipeline job (Cloud Run Job). */
  JOB,
  /** The three functions. */
  FUNCTIONS,
  /** The bqx command, run by a person. */
  CLI
}
