package io.docstream.document;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One undo-log entry: the value at {@code path} was replaced, and {@code previous} (null when it
 * was absent) is the detached old value. Detached values are never modified afterwards, so holding
 * the reference is as good as a copy. Every proper prefix of {@code path} names an object.
 */
record Change(List<String> path, JsonNode previous) {}
