package ml.bqx.functions;

/**
 * CompletionFunction behind the push subscription terraform owns (entry point of bqx-completion).
 */
public final class CompletionPush extends PubSubPush {
  public CompletionPush() {
    super(new CompletionFunction());
  }
}
