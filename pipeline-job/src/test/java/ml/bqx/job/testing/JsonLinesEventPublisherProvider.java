package ml.bqx.job.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.json.Json;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.port.EventPublisher;
import ml.bqx.core.port.EventPublisherProvider;

/**
 * Test-scope event bus {@code jsonl:///abs/path/events.jsonl}: appends one JSON line per published
 * message (topic, attributes, data), under a file lock so several processes can share the file.
 */
public final class JsonLinesEventPublisherProvider implements EventPublisherProvider {
  private static final AtomicLong IDS = new AtomicLong();

  @Override
  public String scheme() {
    return "jsonl";
  }

  @Override
  public EventPublisher open(URI uri, BqxConfig config) {
    Path file = Path.of(uri.getPath());
    return new EventPublisher() {
      @Override
      public String publish(String topic, BusMessage message) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("topic", topic);
        line.put("attributes", message.attributes());
        line.put("data", message.dataAsString());
        byte[] bytes = (Json.toString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel =
                FileChannel.open(
                    file,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            var lock = channel.lock()) {
          channel.write(ByteBuffer.wrap(bytes));
        }
        return Long.toString(IDS.incrementAndGet());
      }

      @Override
      public void close() {}
    };
  }
}
