package io.docstream.spaces.examples;

import static io.docstream.spaces.SpaceFixture.assertJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.spaces.SpaceFixture;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatSpaceTest {
  private static ChatSpace chat(int history) {
    ChatSpace chat = new ChatSpace();
    chat.configure(Map.of("history", Integer.toString(history)));
    return chat;
  }

  private final SpaceFixture room = new SpaceFixture("chat/lobby", new ChatSpace());

  @Test
  void shouldAppendTheMessageAndMarkTheMemberSeen() {
    var delta = room.send("alice", "{\"say\":\"hi\"}");

    long ts = room.lastTimestampMillis();
    assertJson(
        delta,
        "{\"messages\":{\"0000000001\":{\"from\":\"alice\",\"text\":\"hi\",\"ts\":"
            + ts
            + "}},\"next\":2,\"members\":{\"alice\":"
            + ts
            + "}}");
  }

  @Test
  void shouldNumberMessagesSoKeyOrderIsArrivalOrder() {
    for (int i = 0; i < 12; i++) {
      room.send(i % 2 == 0 ? "alice" : "bob", "{\"say\":\"m" + i + "\"}");
    }

    assertThat(room.at("/messages").fieldNames())
        .toIterable()
        .startsWith("0000000001", "0000000002")
        .endsWith("0000000011", "0000000012");
    assertThat(room.at("/messages/0000000010/text").textValue()).isEqualTo("m9");
    assertThat(room.at("/next").asLong()).isEqualTo(13);
    assertThat(room.at("/members").size()).isEqualTo(2);
  }

  @Test
  void shouldKeepOnlyTheNewestHistoryAndEvictInTheSameDelta() {
    SpaceFixture small = new SpaceFixture("chat/small", chat(3));
    for (int i = 1; i <= 3; i++) {
      small.send("alice", "{\"say\":\"m" + i + "\"}");
    }

    var delta = small.send("alice", "{\"say\":\"m4\"}");

    assertThat(delta.get("messages").get("0000000001").isNull()).isTrue();
    assertThat(delta.get("messages").size()).isEqualTo(2);
    assertThat(small.at("/messages").fieldNames())
        .toIterable()
        .containsExactly("0000000002", "0000000003", "0000000004");
  }

  @Test
  void shouldCatchUpWhenTheHistoryOptionShrinks() {
    SpaceFixture room = new SpaceFixture("chat/r", chat(5));
    for (int i = 1; i <= 5; i++) {
      room.send("alice", "{\"say\":\"m" + i + "\"}");
    }
    SpaceFixture restarted = new SpaceFixture("chat/r", chat(2));
    restarted.given("/messages", room.at("/messages").toString());
    restarted.given("/next", "6");

    restarted.send("bob", "{\"say\":\"m6\"}");

    assertThat(restarted.at("/messages").fieldNames())
        .toIterable()
        .containsExactly("0000000005", "0000000006");
  }

  @Test
  void shouldKeepTheLatestSeenTimeOfEachMember() {
    room.send("alice", "{\"say\":\"one\"}");
    long first = room.lastTimestampMillis();
    room.send("bob", "{\"say\":\"two\"}");
    room.send("alice", "{\"say\":\"three\"}");

    assertThat(room.at("/members/alice").asLong()).isEqualTo(room.lastTimestampMillis());
    assertThat(room.at("/members/bob").asLong()).isEqualTo(first + 1000);
  }

  @Test
  void shouldEscapeActorIdsInPaths() {
    room.send("a/b~c", "{\"say\":\"hi\"}");

    assertThat(room.at("/members").has("a/b~c")).isTrue();
    assertThat(room.at("/messages/0000000001/from").textValue()).isEqualTo("a/b~c");
  }

  @Test
  void shouldCountCharactersNotUtf16Units() {
    String emoji = "\uD83D\uDE00"; // one code point, two chars
    room.send("alice", Json.text(Json.object().put("say", emoji.repeat(2000))));

    room.reject(
        "alice",
        Json.text(Json.object().put("say", emoji.repeat(2001))),
        ErrorCode.CHAT_TEXT_INVALID);
  }

  @Test
  void shouldRejectEmptyBlankLongOrNonTextSay() {
    room.send("alice", "{\"say\":\"first\"}");

    room.reject("alice", "{\"say\":\"\"}", ErrorCode.CHAT_TEXT_INVALID);
    room.reject("alice", "{\"say\":\"   \"}", ErrorCode.CHAT_TEXT_INVALID);
    room.reject(
        "alice",
        Json.text(Json.object().put("say", "x".repeat(2001))),
        ErrorCode.CHAT_TEXT_INVALID);
    room.reject("alice", "{\"say\":42}", ErrorCode.CHAT_TEXT_INVALID);
  }

  @Test
  void shouldRejectOtherShapesAndAMissingActor() {
    room.reject("alice", "{}", ErrorCode.BODY_INVALID);
    room.reject("alice", "{\"say\":\"hi\",\"to\":\"bob\"}", ErrorCode.BODY_INVALID);
    room.reject("alice", "\"hi\"", ErrorCode.BODY_INVALID);
    room.reject(null, "{\"say\":\"hi\"}", ErrorCode.ACTOR_REQUIRED);
  }
}
