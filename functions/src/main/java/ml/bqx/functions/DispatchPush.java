package ml.bqx.functions;

/** DispatchFunction behind the push subscription terraform owns (the deployed entry point). */
public final class DispatchPush extends PubSubPushFunction {
  public DispatchPush() {
    super(new DispatchFunction());
  }

  DispatchPush(DispatchFunction function) {
    super(function);
  }
}
