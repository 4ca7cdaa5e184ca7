package io.docstream.serdes;

/** Renders the {@link ErrorCode} registry as the Markdown table checked in as docs/errors.md. */
public final class ErrorTable {
  private ErrorTable() {}

  public static String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("# Error codes\n\n")
        .append("Generated from `serdes/src/main/java/io/docstream/serdes/ErrorCode.java`; ")
        .append("do not edit by hand. Regenerate with\n")
        .append("`mvn -q -pl serdes test -Dtest=ErrorTableTest -Ddocstream.errors.write=true`.\n\n")
        .append("| code | name | description | retry can help | client may see |\n")
        .append("|---:|---|---|---|---|\n");
    for (ErrorCode code : ErrorCode.values()) {
      out.append("| ")
          .append(code.code())
          .append(" | `")
          .append(code.name())
          .append("` | ")
          .append(code.description())
          .append(" | ")
          .append(code.retryable() ? "yes" : "no")
          .append(" | ")
          .append(code.clientVisible() ? "yes" : "no")
          .append(" |\n");
    }
    return out.toString();
  }
}
