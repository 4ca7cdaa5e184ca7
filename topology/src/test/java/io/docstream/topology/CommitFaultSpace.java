package io.docstream.topology;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.POJONode;
import io.docstream.document.Document;
import io.docstream.serdes.Json;
import io.docstream.spaces.MessageContext;
import io.docstream.spaces.SpaceLogic;

/**
 * A custom space whose changes fail after its logic ran, on demand: {"fail":"value"} writes a value
 * that cannot be serialized, {"fail":"timer"} schedules a good timer and one whose message cannot
 * be serialized, {"fail":"error"} writes /erred and throws an Error. Every message first writes
 * /touched; {} schedules nothing and writes /ok.
 */
public final class CommitFaultSpace implements SpaceLogic {
  /** Serializing it throws. */
  public static final class Unserializable {
    public int getValue() {
      throw new IllegalStateException("cannot serialize");
    }
  }

  @Override
  public void apply(MessageContext ctx, Document doc) {
    doc.set("/touched", IntNode.valueOf(1));
    switch (ctx.body().path("fail").asText("")) {
      case "value" -> doc.set("/bad", new POJONode(new Unserializable()));
      case "timer" -> {
        ctx.schedule("good", 1000, Json.object());
        ctx.schedule("bad", 1000, new POJONode(new Unserializable()));
      }
      case "error" -> {
        doc.set("/erred", IntNode.valueOf(1));
        throw new AssertionError("an error, not an exception");
      }
      default -> doc.set("/ok", IntNode.valueOf(1));
    }
  }
}
