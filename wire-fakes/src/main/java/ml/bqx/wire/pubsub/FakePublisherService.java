package ml.bqx.wire.pubsub;

import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PublishResponse;
import com.google.pubsub.v1.PublisherGrpc;
import com.google.pubsub.v1.PubsubMessage;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import ml.bqx.wire.link.WireLink;

/**
 * Pub/Sub's Publisher service in memory: records every message with its topic. Each publish request
 * passes {@link #link}: its latency is the publish latency (request to acknowledgement).
 */
public final class FakePublisherService extends PublisherGrpc.PublisherImplBase {
  /** One received message and the topic it was published to. */
  public record Received(String topic, PubsubMessage message) {}

  public final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  public volatile WireLink link = WireLink.instant();
  public volatile Status refuse;
  public volatile boolean silent;
  private final List<StreamObserver<PublishResponse>> held = new CopyOnWriteArrayList<>();

  /** Answers the requests held while silent (with an error: they were never accepted). */
  public void release() {
    silent = false;
    for (StreamObserver<PublishResponse> response : held) {
      response.onError(Status.ABORTED.withDescription("released").asRuntimeException());
    }
    held.clear();
  }

  @Override
  public void publish(PublishRequest request, StreamObserver<PublishResponse> response) {
    if (silent) {
      held.add(response);
      return;
    }
    link.request(request.getSerializedSize());
    if (refuse != null) {
      response.onError(refuse.asRuntimeException());
      return;
    }
    PublishResponse.Builder ids = PublishResponse.newBuilder();
    for (PubsubMessage message : request.getMessagesList()) {
      received.add(new Received(request.getTopic(), message));
      ids.addMessageIds("id-" + this.ids.incrementAndGet());
    }
    response.onNext(ids.build());
    response.onCompleted();
  }
}
