package io.docstream.scenarios;

import io.docstream.serdes.DocKey;
import io.docstream.serdes.DocstreamException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules that let scenario files run side by side on one broker without renaming anything: a key
 * belongs to one file only, and every output of a file can be told apart from the others'.
 */
public final class Isolation {
  private Isolation() {}

  /** What breaks the rules, one line per problem; empty when the files may share a broker. */
  public static List<String> violations(List<Scenario> scenarios) {
    List<String> problems = new ArrayList<>();
    Map<String, String> keyOwners = new HashMap<>();
    Map<String, String> idOwners = new HashMap<>();
    for (Scenario s : scenarios) {
      for (String key : s.keys()) {
        String owner = keyOwners.putIfAbsent(key, s.name());
        if (owner != null) {
          problems.add("key " + key + " is used by both " + owner + " and " + s.name());
        }
      }
      for (String id : s.unkeyedIds()) {
        String owner = idOwners.putIfAbsent(id, s.name());
        if (owner != null) {
          problems.add(
              "id "
                  + id
                  + " of a record without key is used by both "
                  + owner
                  + " and "
                  + s.name());
        }
      }
      for (Step step : s.steps()) {
        if (step instanceof Step.Send send && !attributable(send.input())) {
          problems.add(
              s.name()
                  + ": a record without key needs an id or a valid doc field: "
                  + send.input());
        }
      }
    }
    return problems;
  }

  /** A record without key and without a valid doc is rejected under no key: its id tells whose. */
  private static boolean attributable(Input input) {
    if (input.key() != null || input.id() != null) {
      return true;
    }
    try {
      DocKey.parse(input.doc());
      return true;
    } catch (DocstreamException e) {
      return false;
    }
  }
}
