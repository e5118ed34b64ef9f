package ml.bqx.functions;

/** CompletionFunction behind the push subscription terraform owns (the deployed entry point). */
public final class CompletionPush extends PubSubPushFunction {
  public CompletionPush() {
    super(new CompletionFunction());
  }

  CompletionPush(CompletionFunction function) {
    super(function);
  }
}
