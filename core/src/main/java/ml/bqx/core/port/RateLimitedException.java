package ml.bqx.core.port;

import java.io.IOException;

/**
 * The store refused a request for its rate (GCS's 429 rateLimitExceeded: about one write a second
 * to one object). Nothing was written; the caller may try again after backing off.
 */
public final class RateLimitedException extends IOException {
  public RateLimitedException(String message, Throwable cause) {
    super(message, cause);
  }
}
