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
      int ticks = doc.has("/ticks") ? doc.get("/ticks").intValue() : 0;
      doc.set("/ticks", IntNode.valueOf(ticks + 1));
      doc.set("/lastTickTs", Json.NODES.numberNode(ctx.timestampMillis()));
    } else if (ctx.body().has("arm")) {
      ctx.schedule("tick", ctx.body().get("arm").longValue(), Json.object());
      doc.set("/armed", IntNode.valueOf(ctx.body().get("arm").intValue()));
    } else {
      throw ctx.reject(10_001, "unknown tick message");
    }
  }
}
