package ml.bqx.core.port;

import java.io.IOException;

/**
 * An object is there but cannot be trusted: its content does not match what the store recorded (cut
 * short, its record gone), or it is not the document it should be. Trying again cannot help and
 * nothing may write over it: an operator restores or deletes it. The message is one line naming the
 * object.
 */
public final class DamagedObjectException extends IOException {
  public DamagedObjectException(String message) {
    super(message);
  }

  public DamagedObjectException(String message, Throwable cause) {
    super(message, cause);
  }
}
