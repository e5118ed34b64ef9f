package ml.bqx.core.port;

import java.util.regex.Pattern;

/**
 * A glob over object keys with the meaning of GCS's {@code matchGlob} list parameter (cloud.google
 * .com/storage/docs/json_api/v1/objects/list#list-objects-and-prefixes-using-glob): {@code *} is
 * any run of characters within one path segment, {@code **} any run across segments ({@code
 * **}{@code /} also none), {@code ?} one character other than {@code /}. Character classes and
 * braces are refused, so that every store reads a glob alike.
 */
public final class ObjectGlob {
  private final String glob;
  private final Pattern pattern;

  private ObjectGlob(String glob, Pattern pattern) {
    this.glob = glob;
    this.pattern = pattern;
  }

  public static ObjectGlob of(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
        regex.append(slash ? "(?:.*/)?" : ".*");
        i += slash ? 2 : 1;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else if (c == '?') {
        regex.append("[^/]");
      } else if (c == '[' || c == ']' || c == '{' || c == '}' || c == '\\') {
        throw new IllegalArgumentException(
            "glob '" + glob + "' uses '" + c + "': only *, ** and ? are supported");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new ObjectGlob(glob, Pattern.compile(regex.toString(), Pattern.DOTALL));
  }

  /** True if the whole key (relative to where the glob applies) matches. */
  public boolean matches(String key) {
    return pattern.matcher(key).matches();
  }

  @Override
  public String toString() {
    return glob;
  }
}
