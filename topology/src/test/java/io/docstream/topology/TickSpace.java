package io.docstream.topology;

import com.fasterxml.jackson.databind.node.IntNode;
import io.docstream.document.Document;
import io.docstream.serdes.Json;
import io.docstream.spaces.MessageContext;
import io.docstream.spaces.SpaceLogic;

/** A custom space for tests: {"arm": millis} schedules a tick; a tick counts itself. */
public final class TickSpace implements SpaceLogic {
  @Override
  public void apply(MessageContext ctx, Document doc) {
    if (ctx.fromTimer()) {
      JsonNodeCount.increment(doc, "/ticks");
      doc.set("/lastTickTs", Json.NODES.numberNode(ctx.timestampMillis()));
    } else if (ctx.body().has("arm")) {
      ctx.schedule("tick", ctx.body().get("arm").longValue(), Json.object());
      doc.set("/armed", IntNode.valueOf(ctx.body().get("arm").intValue()));
    } else {
      throw ctx.reject(10_001, "unknown tick message");
    }
  }

  private static final class JsonNodeCount {
    static void increment(Document doc, String pointer) {
      int now = doc.has(pointer) ? doc.get(pointer).intValue() : 0;
      doc.set(pointer, IntNode.valueOf(now + 1));
    }
  }
}
