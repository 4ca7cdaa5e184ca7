package io.docstream.spaces.examples;

import static io.docstream.spaces.SpaceFixture.assertJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.spaces.SpaceFixture;
import org.junit.jupiter.api.Test;

class TodoSpaceTest {
  private final SpaceFixture list = new SpaceFixture("todo/home", new TodoSpace());

  @Test
  void shouldAddItemsWithCounterIds() {
    var delta = list.send("alice", "{\"op\":\"add\",\"title\":\"milk\"}");
    list.send(null, "{\"op\":\"add\",\"title\":\"bread\"}");

    assertJson(
        delta,
        "{\"items\":{\"0000000001\":{\"title\":\"milk\",\"done\":false,\"ts\":"
            + (list.lastTimestampMillis() - 1000)
            + ",\"by\":\"alice\"}},\"next\":2}");
    assertThat(list.at("/items/0000000002/title").textValue()).isEqualTo("bread");
    assertThat(list.at("/items/0000000002").has("by")).isFalse();
  }

  @Test
  void shouldToggleBackAndForth() {
    list.send("alice", "{\"op\":\"add\",\"title\":\"milk\"}");

    var delta = list.send("bob", "{\"op\":\"toggle\",\"id\":\"0000000001\"}");
    assertJson(delta, "{\"items\":{\"0000000001\":{\"done\":true}}}");

    list.send("bob", "{\"op\":\"toggle\",\"id\":\"0000000001\"}");
    assertThat(list.at("/items/0000000001/done").asBoolean()).isFalse();
  }

  @Test
  void shouldRename() {
    list.send("alice", "{\"op\":\"add\",\"title\":\"milk\"}");

    var delta =
        list.send("alice", "{\"op\":\"rename\",\"id\":\"0000000001\",\"title\":\"oat milk\"}");

    assertJson(delta, "{\"items\":{\"0000000001\":{\"title\":\"oat milk\"}}}");
  }

  @Test
  void shouldRemoveWithoutReusingTheId() {
    list.send("alice", "{\"op\":\"add\",\"title\":\"milk\"}");

    var delta = list.send("alice", "{\"op\":\"remove\",\"id\":\"0000000001\"}");
    list.send("alice", "{\"op\":\"add\",\"title\":\"eggs\"}");

    assertJson(delta, "{\"items\":{\"0000000001\":null}}");
    assertThat(list.at("/items").fieldNames()).toIterable().containsExactly("0000000002");
  }

  @Test
  void shouldClearOnlyDoneItems() {
    for (String title : new String[] {"a", "b", "c"}) {
      list.send("alice", "{\"op\":\"add\",\"title\":\"" + title + "\"}");
    }
    list.send("alice", "{\"op\":\"toggle\",\"id\":\"0000000001\"}");
    list.send("alice", "{\"op\":\"toggle\",\"id\":\"0000000003\"}");

    var delta = list.send("alice", "{\"op\":\"clear-done\"}");

    assertJson(delta, "{\"items\":{\"0000000001\":null,\"0000000003\":null}}");
    assertThat(list.send("alice", "{\"op\":\"clear-done\"}")).isEmpty();
  }

  @Test
  void shouldRejectUnknownItems() {
    list.send("alice", "{\"op\":\"add\",\"title\":\"milk\"}");

    list.reject("alice", "{\"op\":\"toggle\",\"id\":\"0000000009\"}", ErrorCode.TODO_ITEM_MISSING);
    list.reject(
        "alice", "{\"op\":\"rename\",\"id\":\"x\",\"title\":\"y\"}", ErrorCode.TODO_ITEM_MISSING);
    list.reject("alice", "{\"op\":\"remove\",\"id\":\"\"}", ErrorCode.TODO_ITEM_MISSING);
  }

  @Test
  void shouldRejectBadTitles() {
    list.send("alice", "{\"op\":\"add\",\"title\":\"milk\"}");

    list.reject("alice", "{\"op\":\"add\",\"title\":\"\"}", ErrorCode.TODO_TITLE_INVALID);
    list.reject("alice", "{\"op\":\"add\",\"title\":\" \"}", ErrorCode.TODO_TITLE_INVALID);
    list.reject("alice", "{\"op\":\"add\",\"title\":7}", ErrorCode.TODO_TITLE_INVALID);
    list.reject(
        "alice",
        Json.text(Json.object().put("op", "add").put("title", "t".repeat(501))),
        ErrorCode.TODO_TITLE_INVALID);
    list.reject(
        "alice",
        "{\"op\":\"rename\",\"id\":\"0000000001\",\"title\":\"\"}",
        ErrorCode.TODO_TITLE_INVALID);
  }

  @Test
  void shouldRejectBadShapes() {
    list.reject("alice", "{\"op\":\"archive\"}", ErrorCode.BODY_INVALID);
    list.reject("alice", "{\"title\":\"milk\"}", ErrorCode.BODY_INVALID);
    list.reject("alice", "{\"op\":\"add\"}", ErrorCode.BODY_INVALID);
    list.reject("alice", "{\"op\":\"add\",\"title\":\"a\",\"due\":1}", ErrorCode.BODY_INVALID);
    list.reject("alice", "{\"op\":\"toggle\"}", ErrorCode.BODY_INVALID);
    list.reject("alice", "{\"op\":\"toggle\",\"id\":1}", ErrorCode.BODY_INVALID);
    list.reject("alice", "[]", ErrorCode.BODY_INVALID);
  }
}
