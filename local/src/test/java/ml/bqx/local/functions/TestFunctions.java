package ml.bqx.local.functions;

import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CloudEvents functions the tests host. The invoker instantiates them itself (public no-argument
 * constructor), so what they saw is kept in static fields, reset before each test.
 */
public final class TestFunctions {
  /** Every event any test function received, in arrival order. */
  public static final List<CloudEvent> RECEIVED = new CopyOnWriteArrayList<>();

  private static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();
  private static volatile CyclicBarrier barrier = new CyclicBarrier(1);

  private TestFunctions() {}

  public static void reset() {
    RECEIVED.clear();
    ATTEMPTS.clear();
    barrier = new CyclicBarrier(1);
  }

  /** Makes {@link Rendezvous} wait until {@code parties} deliveries are in flight together. */
  public static void rendezvousOf(int parties) {
    barrier = new CyclicBarrier(parties);
  }

  /** Accepts every event. */
  public static final class Accepting implements CloudEventsFunction {
    @Override
    public void accept(CloudEvent event) {
      RECEIVED.add(event);
    }
  }

  /** Fails every event (the invoker answers 500). */
  public static final class Failing implements CloudEventsFunction {
    @Override
    public void accept(CloudEvent event) {
      RECEIVED.add(event);
      throw new IllegalStateException("this function always fails");
    }
  }

  /** Fails the first two deliveries of each event id, then accepts. */
  public static final class FailingTwice implements CloudEventsFunction {
    @Override
    public void accept(CloudEvent event) {
      RECEIVED.add(event);
      int attempt =
          ATTEMPTS.computeIfAbsent(event.getId(), id -> new AtomicInteger()).incrementAndGet();
      if (attempt <= 2) {
        throw new IllegalStateException("failing delivery " + attempt + " of " + event.getId());
      }
    }
  }

  /** Succeeds only if the configured number of deliveries arrive concurrently. */
  public static final class Rendezvous implements CloudEventsFunction {
    @Override
    public void accept(CloudEvent event)
        throws InterruptedException, BrokenBarrierException, TimeoutException {
      RECEIVED.add(event);
      barrier.await(20, TimeUnit.SECONDS);
    }
  }
}
