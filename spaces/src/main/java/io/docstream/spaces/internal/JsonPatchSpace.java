package io.docstream.spaces.internal;

import io.docstream.document.Document;
import io.docstream.document.JsonPatch;
import io.docstream.spaces.MessageContext;
import io.docstream.spaces.SpaceLogic;
import java.util.Map;
import java.util.Set;

/**
 * The built-in {@code jsonpatch} logic: the message body is an RFC 6902 JSON Patch. A failing
 * {@code test} operation rejects the whole message, which makes compare-and-set possible: {@code
 * [{"op":"test","path":"/v","value":3},{"op":"replace","path":"/v","value":4}]}.
 */
public final class JsonPatchSpace implements SpaceLogic {
  /** Takes no options; refuses any, so a misspelt one is not silently ignored. */
  @Override
  public void configure(Map<String, String> options) {
    Options.of(options, Set.of());
  }

  @Override
  public void apply(MessageContext ctx, Document doc) {
    JsonPatch.apply(doc, ctx.body());
  }
}
