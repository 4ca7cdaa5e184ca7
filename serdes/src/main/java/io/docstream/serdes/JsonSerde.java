package io.docstream.serdes;

import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A Kafka serde for one of the JSON envelope records ({@link Delta}, {@link Rejection}, ...). */
public final class JsonSerde<T> implements Serde<T> {
  private final Class<T> type;

  public JsonSerde(Class<T> type) {
    this.type = type;
  }

  public static Serde<Delta> deltas() {
    return new JsonSerde<>(Delta.class);
  }

  public static Serde<Rejection> rejections() {
    return new JsonSerde<>(Rejection.class);
  }

  public static Serde<Command> commands() {
    return new JsonSerde<>(Command.class);
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> value == null ? null : Json.bytes(value);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return Json.MAPPER.readValue(bytes, type);
      } catch (IOException e) {
        throw new SerializationException(
            "cannot read " + type.getSimpleName() + " from topic " + topic, e);
      }
    };
  }
}
