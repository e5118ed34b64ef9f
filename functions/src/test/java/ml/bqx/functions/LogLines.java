package ml.bqx.functions;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The lines a logger writes while open (java.util.logging, as the functions log). */
final class LogLines implements AutoCloseable {
  private final Logger logger;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Handler recorder =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          lines.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private LogLines(Logger logger) {
    this.logger = logger;
    logger.addHandler(recorder);
  }

  static LogLines of(Class<?> type) {
    return new LogLines(Logger.getLogger(type.getName()));
  }

  /** Lines at SEVERE or WARNING, "LEVEL message". */
  List<String> problems() {
    return lines.stream().filter(l -> l.startsWith("SEVERE") || l.startsWith("WARNING")).toList();
  }

  @Override
  public void close() {
    logger.removeHandler(recorder);
  }
}
