package ml.bqx.functions;

import java.io.IOException;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.verify.OutputExpectation;
import ml.bqx.core.verify.OutputVerifier;
import ml.bqx.core.verify.Verdict;
import ml.bqx.trainingfile.InvalidTrainingFileException;
import ml.bqx.trainingfile.TrainingFileExpectations;
import ml.bqx.trainingfile.TrainingFileValidator;

/**
 * Checks a published training file from its Parquet footer with ranged reads (the validator the job
 * runs on its staging file): rows, columns, the horizons, run/pair/attempt metadata, size and
 * CRC32C.
 */
final class ParquetFooterVerifier implements OutputVerifier {
  private final TrainingFileValidator validator;

  ParquetFooterVerifier(ObjectStore output) {
    this.validator = new TrainingFileValidator(output);
  }

  @Override
  public Verdict verify(OutputExpectation expected) throws IOException {
    TrainingFileExpectations expectations =
        TrainingFileExpectations.minimums(expected.minRows(), expected.minColumns())
            .withCrc32c(expected.crc32c())
            .withOrigin(expected.run(), expected.pair(), expected.attempt())
            .withSizeBetween(expected.minBytes(), expected.maxBytes());
    try {
      var facts = validator.validate(expected.uri(), expectations);
      return Verdict.ok(
          new OutputFacts(
              expected.uri().toString(),
              facts.bytes(),
              facts.crc32c(),
              facts.rows(),
              facts.columns()));
    } catch (InvalidTrainingFileException e) {
      return Verdict.rejected(e.getMessage());
    }
  }
}
