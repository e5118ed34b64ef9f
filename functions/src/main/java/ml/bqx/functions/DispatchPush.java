package ml.bqx.functions;

/** DispatchFunction behind the push subscription terraform owns (entry point of bqx-dispatch). */
public final class DispatchPush extends PubSubPush {
  public DispatchPush() {
    super(new DispatchFunction());
  }
}
