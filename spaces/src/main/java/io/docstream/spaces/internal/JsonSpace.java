package io.docstream.spaces.internal;

import io.docstream.document.Document;
import io.docstream.serdes.ErrorCode;
import io.docstream.spaces.MessageContext;
import io.docstream.spaces.SpaceLogic;
import java.util.Map;
import java.util.Set;

/**
 * The built-in {@code json} logic: the message body is an RFC 7396 merge patch applied at the
 * document root, so {@code {"a": 1, "b": null}} sets {@code a} and removes {@code b}. A body that
 * is not an object is rejected with {@link ErrorCode#PATCH_NOT_OBJECT}.
 */
public final class JsonSpace implements SpaceLogic {
  /** Takes no options; refuses any, so a misspelt one is not silently ignored. */
  @Override
  public void configure(Map<String, String> options) {
    Options.of(options, Set.of());
  }

  @Override
  public void apply(MessageContext ctx, Document doc) {
    if (!ctx.body().isObject()) {
      throw ctx.reject(
          ErrorCode.PATCH_NOT_OBJECT,
          "a json-space body must be an object, was " + ctx.body().getNodeType());
    }
    doc.merge("", ctx.body());
  }
}
