package io.docstream.topology;

import com.fasterxml.jackson.databind.node.IntNode;
import io.docstream.document.Document;
import io.docstream.spaces.MessageContext;
import io.docstream.spaces.SpaceLogic;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A custom space with bugs on demand, each after a write: {"fail":"throw"}, {"fail":"recurse"},
 * {"fail":"late"} (writes a value that throws only once the applier diffs it, outside the logic)
 * and {"fail":"error"} (throws an Error while {@link #errorsLeft} is positive).
 */
public final class FaultySpace implements SpaceLogic {
  static final AtomicInteger errorsLeft = new AtomicInteger();

  @Override
  public void apply(MessageContext ctx, Document doc) {
    doc.set("/touched", IntNode.valueOf(1));
    switch (ctx.body().path("fail").asText("")) {
      case "throw" -> throw new IllegalStateException("bug");
      case "recurse" -> recurse(0);
      case "late" -> doc.set("/touched", new LateBomb());
      case "error" -> {
        if (errorsLeft.getAndDecrement() > 0) {
          throw new AssertionError("a bug no record should be blamed for");
        }
        doc.set("/ok", IntNode.valueOf(1));
      }
      default -> doc.set("/ok", IntNode.valueOf(1));
    }
  }

  /** A number that cannot be read as text: comparing it with the stored value throws. */
  private static final class LateBomb extends IntNode {
    private static final long serialVersionUID = 1L;

    LateBomb() {
      super(2);
    }

    @Override
    public String asText() {
      throw new IllegalStateException("late bomb");
    }
  }

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }
}
