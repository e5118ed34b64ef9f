package ml.bqx.functions;

import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;

/**
 * Functions the invoker's handler can build (public, no-arg constructor) that forward to a function
 * a test wired over its harness: one class per hosted function, since the invoker takes a class,
 * not an instance.
 */
final class HostedFunctions {
  private HostedFunctions() {}

  public static final class Dispatch implements CloudEventsFunction {
    static volatile CloudEventsFunction target;

    @Override
    public void accept(CloudEvent event) throws Exception {
      target.accept(event);
    }
  }

  public static final class Completion implements CloudEventsFunction {
    static volatile CloudEventsFunction target;

    @Override
    public void accept(CloudEvent event) throws Exception {
      target.accept(event);
    }
  }

  public static final class Reconcile implements CloudEventsFunction {
    static volatile CloudEventsFunction target;

    @Override
    public void accept(CloudEvent event) throws Exception {
      target.accept(event);
    }
  }

  /** The push entry points (HTTP functions) over a test's functions, as terraform deploys them. */
  public static final class DispatchPush extends PubSubPushFunction {
    static volatile PubSubFunction target;

    public DispatchPush() {
      super(target);
    }
  }

  public static final class CompletionPush extends PubSubPushFunction {
    static volatile PubSubFunction target;

    public CompletionPush() {
      super(target);
    }
  }

  public static final class ReconcilePush extends PubSubPushFunction {
    static volatile PubSubFunction target;

    public ReconcilePush() {
      super(target);
    }
  }
}
