package ml.bqx.local.pubsub;

import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PublishResponse;
import com.google.pubsub.v1.PublisherGrpc;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.Topic;
import com.google.pubsub.v1.TopicName;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import ml.bqx.core.message.BusMessage;

/** The Pub/Sub Publisher gRPC API over the local endpoint's topics: what the real client calls. */
final class PublisherService extends PublisherGrpc.PublisherImplBase {
  private final LocalPubSubEndpoint endpoint;

  PublisherService(LocalPubSubEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public void createTopic(Topic request, StreamObserver<Topic> response) {
    answer(
        response,
        () -> {
          String topic = topicId(request.getName());
          if (!endpoint.createTopic(topic)) {
            throw Status.ALREADY_EXISTS
                .withDescription("topic " + request.getName() + " already exists")
                .asRuntimeException();
          }
          return Topic.newBuilder().setName(request.getName()).build();
        });
  }

  @Override
  public void getTopic(
      com.google.pubsub.v1.GetTopicRequest request, StreamObserver<Topic> response) {
    answer(
        response,
        () -> {
          String topic = existingTopic(request.getTopic());
          return Topic.newBuilder().setName(TopicName.format(endpoint.project(), topic)).build();
        });
  }

  @Override
  public void publish(PublishRequest request, StreamObserver<PublishResponse> response) {
    answer(
        response,
        () -> {
          String topic = existingTopic(request.getTopic());
          if (request.getMessagesCount() == 0) {
            throw invalid("publish request to " + request.getTopic() + " has no messages");
          }
          List<PubsubMessage> messages = request.getMessagesList();
          for (int i = 0; i < messages.size(); i++) {
            PubsubMessage m = messages.get(i);
            if (m.getData().isEmpty() && m.getAttributesCount() == 0) {
              throw invalid(
                  "message "
                      + i
                      + " to "
                      + request.getTopic()
                      + " has neither data nor attributes");
            }
          }
          List<String> ids = new ArrayList<>(messages.size());
          for (PubsubMessage m : messages) {
            ids.add(
                endpoint.publish(
                    topic,
                    new BusMessage(m.getData().toByteArray(), m.getAttributesMap()),
                    m.getOrderingKey()));
          }
          return PublishResponse.newBuilder().addAllMessageIds(ids).build();
        });
  }

  private String existingTopic(String name) {
    String topic = topicId(name);
    if (!endpoint.topicExists(topic)) {
      throw Status.NOT_FOUND
          .withDescription(
              "topic "
                  + name
                  + " does not exist on the local Pub/Sub endpoint of project "
                  + endpoint.project())
          .asRuntimeException();
    }
    return topic;
  }

  private String topicId(String name) {
    if (!TopicName.isParsableFrom(name)) {
      throw invalid("'" + name + "' is not a topic name (projects/PROJECT/topics/TOPIC)");
    }
    TopicName parsed = TopicName.parse(name);
    if (!parsed.getProject().equals(endpoint.project())) {
      throw Status.NOT_FOUND
          .withDescription(
              "topic "
                  + name
                  + " is in project "
                  + parsed.getProject()
                  + "; the local Pub/Sub endpoint serves project "
                  + endpoint.project())
          .asRuntimeException();
    }
    try {
      PushSubscription.requireId("topic", parsed.getTopic());
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    return parsed.getTopic();
  }

  private static StatusRuntimeException invalid(String reason) {
    return Status.INVALID_ARGUMENT.withDescription(reason).asRuntimeException();
  }

  private interface Call<T> {
    T run();
  }

  private static <T> void answer(StreamObserver<T> response, Call<T> call) {
    T result;
    try {
      result = call.run();
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    } catch (IllegalStateException e) {
      response.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    response.onNext(result);
    response.onCompleted();
  }
}
