package ml.bqx.job;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import ml.bqx.core.json.Json;

/**
 * Configures java.util.logging for the job: one JSON object a line with {@code severity} (what
 * Cloud Logging reads) when the format is {@code json}, a readable line otherwise; on stderr.
 */
public final class JobLogging {
  private static volatile String context = "";

  /**
   * Libraries whose INFO lines say nothing a person watching a job needs ("Got brand-new
   * compressor", allocator banners); held here because JUL keeps loggers only weakly.
   */
  private static final List<Logger> QUIETED =
      List.of(
          Logger.getLogger("org.apache.hadoop"),
          Logger.getLogger("org.apache.parquet"),
          Logger.getLogger("org.apache.arrow"));

  private JobLogging() {}

  /** Installs the formatter on the root logger, replacing its handlers. */
  public static void configure(String format) {
    context = "";
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    ConsoleHandler handler = new ConsoleHandler();
    handler.setLevel(Level.INFO);
    handler.setFormatter(
        "json".equalsIgnoreCase(format) ? new JsonFormatter() : new TextFormatter());
    root.addHandler(handler);
    root.setLevel(Level.INFO);
    quietLibraries();
  }

  /** Only warnings from Hadoop, Parquet and Arrow (e.g. for a command reading a file). */
  public static void quietLibraries() {
    QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
  }

  /** Names the run, pair and attempt in every following line. */
  public static void context(JobSettings.Identity identity) {
    context = identity.run() + "/" + identity.pair() + "#" + identity.attempt();
  }

  static String severity(Level level) {
    if (level.intValue() >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (level.intValue() >= Level.WARNING.intValue()) {
      return "WARNING";
    }
    return level.intValue() >= Level.INFO.intValue() ? "INFO" : "DEBUG";
  }

  private static String text(LogRecord record) {
    String message = record.getMessage();
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      message = message + "\n" + trace;
    }
    return message;
  }

  /** One JSON object a line, with {@code severity}, for Cloud Logging. */
  static final class JsonFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("severity", severity(record.getLevel()));
      line.put("time", Instant.ofEpochMilli(record.getMillis()).toString());
      line.put("message", text(record));
      line.put("logger", record.getLoggerName());
      if (!context.isEmpty()) {
        line.put("job", context);
      }
      return Json.toString(line) + System.lineSeparator();
    }
  }

  /** A readable line for people at a terminal. */
  static final class TextFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
      return String.format(
          "%s %-7s %s%s%n",
          Instant.ofEpochMilli(record.getMillis()),
          severity(record.getLevel()),
          context.isEmpty() ? "" : "[" + context + "] ",
          text(record));
    }
  }
}
