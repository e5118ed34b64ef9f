package ml.bqx.functions;

/** ReconcileFunction behind the push subscription terraform owns (entry point of bqx-reconcile). */
public final class ReconcilePush extends PubSubPush {
  public ReconcilePush() {
    super(new ReconcileFunction());
  }
}
