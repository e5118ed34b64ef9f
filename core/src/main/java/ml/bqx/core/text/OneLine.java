package ml.bqx.core.text;

/**
 * Turns a message (often an exception's, often several lines) into the one line a user reads, a
 * ledger keeps and a log line carries: its first line, trimmed, so nothing after a newline can
 * forge another log line.
 */
public final class OneLine {
  private OneLine() {}

  public static String of(String text) {
    if (text == null || text.isBlank()) {
      return "no reason given";
    }
    String trimmed = text.strip();
    int newline = trimmed.indexOf('\n');
    return (newline < 0 ? trimmed : trimmed.substring(0, newline)).strip();
  }
}
