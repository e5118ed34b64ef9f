package ml.bqx.functions;

/** ReconcileFunction behind the push subscription terraform owns (the deployed entry point). */
public final class ReconcilePush extends PubSubPushFunction {
  public ReconcilePush() {
    super(new ReconcileFunction());
  }

  ReconcilePush(ReconcileFunction function) {
    super(function);
  }
}
