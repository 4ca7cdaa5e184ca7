package io.docstream.topology;

import com.fasterxml.jackson.databind.node.IntNode;
import io.docstream.document.Document;
import io.docstream.spaces.MessageContext;
import io.docstream.spaces.SpaceLogic;

/** A custom space with bugs on demand: {"fail":"throw"} or {"fail":"recurse"} after a write. */
public final class FaultySpace implements SpaceLogic {
  @Override
  public void apply(MessageContext ctx, Document doc) {
    doc.set("/touched", IntNode.valueOf(1));
    switch (ctx.body().path("fail").asText("")) {
      case "throw" -> throw new IllegalStateException("bug");
      case "recurse" -> recurse(0);
      default -> doc.set("/ok", IntNode.valueOf(1));
    }
  }

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }
}
