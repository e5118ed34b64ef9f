package ml.bqx.cli.command;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import ml.bqx.core.message.RunId;

/** Names new runs after the UTC time they start: {@code run-20261128-101500}. */
public final class RunIds {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private RunIds() {}

  public static RunId next(Clock clock) {
    return RunId.of("run-" + FORMAT.format(clock.instant()));
  }
}
