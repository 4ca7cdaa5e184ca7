package io.docstream.serdes;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;

/**
 * Writes a {@link Delta} as the bytes {@code Json.bytes(delta)} would give (same fields, order and
 * null handling), without Jackson's per-call bean serialization: the processor writes one per
 * applied message.
 */
public final class DeltaJson {
  private DeltaJson() {}

  public static byte[] bytes(Delta delta) {
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("seq", delta.seq());
      g.writeFieldName("patch");
      Json.MAPPER.writeTree(g, delta.patch());
      g.writeArrayFieldStart("ids");
      for (String id : delta.ids()) {
        g.writeString(id);
      }
      g.writeEndArray();
      g.writeNumberField("ts", delta.ts());
      if (delta.actor() != null) {
        g.writeStringField("actor", delta.actor());
      }
      if (delta.hash() != null) {
        g.writeStringField("hash", delta.hash());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new DocstreamException(ErrorCode.INTERNAL, "cannot serialize a delta", e);
    }
    return out.toByteArray();
  }
}
