package io.docstream.serdes;

import java.util.Optional;

/**
 * The one registry of stable numeric error codes. Every error docstream reports (rejections, HTTP
 * answers, WebSocket errors, start-up failures) carries one of these codes. {@code docs/errors.md}
 * is generated from this enum; a test fails when the table is stale or when two codes collide.
 *
 * <p>Codes 10000-19999 are reserved for custom spaces ({@link #SPACE_DEFINED}); a plug-in's {@code
 * reject(code, reason)} must use a code in that range or one of the codes below.
 */
public enum ErrorCode {
  // Authentication and protocol (shared with WebSocket close codes where they coincide).
  UNAUTHENTICATED(4001, "The request carries no valid credentials.", false, true),
  PROTOCOL_VIOLATION(4002, "The frame or request does not follow the protocol.", false, true),
  FORBIDDEN(4003, "The viewer may not perform this action on this document.", false, true),
  TOO_SLOW(4008, "The client fell too far behind and was disconnected.", true, true),

  // The WebSocket gateway.
  TOO_MANY_SUBSCRIPTIONS(
      4009, "The connection already holds the maximum number of subscriptions.", false, true),
  SEND_RATE_EXCEEDED(
      4010,
      "The connection sends faster than its limit; resend later with the same id.",
      true,
      true),
  TOO_MANY_PENDING_SENDS(
      4011, "Too many sends of this connection await their outcome; resend later.", true, true),
  ALREADY_SUBSCRIBED(
      4012,
      "The connection is already subscribed to this document; unsub first to subscribe again.",
      false,
      true),
  ACK_TIMEOUT(
      4420,
      "No outcome arrived in time; resend with the same id (resends are idempotent).",
      true,
      true),
  COMMAND_NOT_SENT(
      4421,
      "The gateway could not write the message to Kafka; resend with the same id.",
      true,
      true),
  SNAPSHOT_UNAVAILABLE(
      4422, "No processor could serve the document; subscribe again later.", true, true),

  // Records on the commands topic.
  RECORD_NOT_JSON(4100, "The record value is not valid UTF-8 JSON.", false, true),
  RECORD_BAD_SHAPE(
      4101, "The record has an unknown field or a field of the wrong type.", false, true),
  BODY_MISSING(4102, "The record has no body.", false, true),
  DOC_KEY_INVALID(4103, "The document key is not of the form space/id.", false, true),
  DOC_KEY_MISSING(4104, "The record has neither a key nor a doc field.", false, true),
  DOC_KEY_MISMATCH(4105, "The record key and its doc field name different documents.", false, true),
  RECORD_TOO_LARGE(4106, "The record is larger than the configured message limit.", false, true),
  SPACE_UNKNOWN(4107, "No space with this name is configured.", false, true),
  MESSAGE_ID_INVALID(4108, "The message id is empty or longer than 200 characters.", false, true),
  NUMBER_OUT_OF_RANGE(
      4109,
      "A number in the record does not fit a double: beyond +-1.8e308, or not zero but below"
          + " 4.9e-324.",
      false,
      true),
  RECORD_SKIPPED(
      4110,
      "An operator skipped this record (setting skip.records); it changed nothing.",
      false,
      true),
  REROUTE_LOOP(
      4111,
      "The record was re-routed once and again arrived off its document's partition; it changed"
          + " nothing.",
      true,
      true),
  MESSAGE_ID_RESERVED(
      4112,
      "Message ids starting with timer: are reserved for the processor's timers.",
      false,
      true),

  // Outcomes of logic.
  LOGIC_REJECTED(4201, "The space's logic rejected the message.", false, true),
  PATCH_NOT_OBJECT(4202, "The body of a json-space message must be a JSON object.", false, true),
  JSON_PATCH_INVALID(4203, "The body is not a valid RFC 6902 JSON Patch.", false, true),
  JSON_PATCH_TEST_FAILED(4204, "A JSON Patch test operation did not match.", false, true),
  JSON_PATCH_PATH_MISSING(
      4205, "A JSON Patch operation names a path that does not exist.", false, true),
  PATH_INVALID(4206, "A path is not a valid JSON Pointer or crosses a non-object.", false, true),
  BODY_INVALID(4207, "The message body does not have the shape the space expects.", false, true),
  ACTOR_REQUIRED(
      4208, "The space needs an actor (the sender's identity) for this message.", false, true),
  DUPLICATE(4209, "The message id was already applied to this document (see seq).", false, true),
  DOCUMENT_TOO_LARGE(
      4210, "Applying the message would exceed the document size limit.", false, true),
  DELTA_TOO_LARGE(
      4211, "Applying the message would produce a delta over the size limit.", false, true),
  DOCUMENT_TOO_DEEP(
      4212, "Applying the message would nest the document more than 100 levels deep.", false, true),
  TIMER_STALE(
      4213,
      "The timer was cancelled or replaced after it fired; its message changed nothing.",
      false,
      true),
  CHANGE_NOT_STORABLE(
      4214,
      "Committing the change the message made failed (e.g. it cannot be serialized); it changed nothing.",
      false,
      true),
  CHAT_TEXT_INVALID(4220, "A chat message needs a text of 1 to 2000 characters.", false, true),
  TODO_ITEM_MISSING(4231, "No todo item has this id.", false, true),
  TODO_TITLE_INVALID(4232, "A todo title needs 1 to 500 characters.", false, true),
  CARDS_NOT_YOUR_TURN(4241, "It is not this player's turn.", false, true),
  CARDS_NOT_IN_HAND(4242, "The player does not hold this card.", false, true),
  CARDS_GAME_FULL(4243, "The game already has the maximum number of players.", false, true),
  CARDS_NOT_STARTED(4244, "The game has not started yet.", false, true),
  CARDS_ALREADY_STARTED(4245, "The game has already started.", false, true),
  CARDS_NOT_A_PLAYER(4246, "The actor has not joined this game.", false, true),
  CARDS_NEED_PLAYERS(4247, "A game needs at least two players to start.", false, true),
  CARDS_GAME_OVER(4248, "The game is over.", false, true),
  CARDS_CARD_DOES_NOT_MATCH(
      4249, "The card matches neither the suit nor the rank of the table card.", false, true),
  SPACE_DEFINED(10000, "Codes 10000-19999 are defined by custom spaces.", false, true),

  // The read API.
  BAD_REQUEST(4400, "The request is malformed (see the error text).", false, true),
  NOT_FOUND(4404, "No such route.", false, true),
  METHOD_NOT_ALLOWED(4405, "The read API answers GET only.", false, true),
  HISTORY_GONE(4410, "The requested deltas are no longer held; fetch a snapshot.", false, true),
  LOGIC_FAILED(
      5000, "The space's logic threw an exception; the message changed nothing.", false, true),
  INTERNAL(5001, "An unexpected internal error.", true, false),
  RECORD_FAILED(
      5002,
      "Processing the record failed unexpectedly; it was skipped and the processor log names its"
          + " offset and the cause.",
      false,
      false),
  PARTITION_MIGRATING(5030, "The document's partition is migrating; retry shortly.", true, true),
  OWNER_UNREACHABLE(5031, "The instance that owns the document did not answer.", true, true),

  // Start-up and operations.
  CONFIG_INVALID(6001, "A configuration value is missing or out of range.", false, false),
  CONFIG_UNREADABLE(6002, "The configuration file cannot be read.", false, false),
  BROKER_START_FAILED(6003, "The embedded Kafka broker did not start.", true, false),
  TOPIC_SETUP_FAILED(6004, "The topics could not be created or checked.", true, false),
  SPACE_CLASS_INVALID(
      6005, "A configured space class cannot be loaded or instantiated.", false, false),
  KAFKA_UNREACHABLE(6006, "The Kafka cluster did not answer.", true, false),
  STREAMS_FAILED(6007, "The Kafka Streams application stopped with an error.", true, false),
  VERIFY_FAILED(6010, "The invariant checker found a violation.", false, false),
  READ_API_UNREACHABLE(6011, "The processor's read API did not answer.", true, false),
  TOPIC_MISMATCH(
      6012,
      "An existing topic has other partitions or replication factor than requested.",
      false,
      false),
  DEV_SECRET_NOT_FOUND(
      6013, "No running docstream's development secret was found to sign with.", false, false),
  BROKER_EXITED(6014, "The embedded Kafka broker exited and could not be restarted.", true, false),
  CLI_INPUT_INVALID(
      6015, "A command-line argument is malformed (see the error text).", false, false),
  RESCALE_PROCESSORS_RUNNING(
      6020,
      "A rescale needs every processor stopped, but the processor group still has members.",
      true,
      false),
  RESCALE_COMMANDS_PENDING(
      6021,
      "A rescale needs every command applied, but the commands topic holds unapplied records.",
      true,
      false),
  RESCALE_PARTITIONS_INVALID(
      6022, "The asked partition count is not above the current one.", false, false),
  RESCALE_FAILED(
      6023,
      "The rescale could not finish; run it again (the old generation is left as it was).",
      true,
      false),
  CLUSTER_UNDER_REPLICATED(
      6030,
      "A partition of the embedded Kafka cluster stayed without a full in-sync replica set.",
      true,
      false),

  // Fencing the open transactions of processor instances that left the group.
  FENCE_CHECK_FAILED(
      6050,
      "Looking for or fencing open transactions of departed processor instances failed; tried"
          + " again at the next rebalance, and the broker still aborts them at their timeout.",
      true,
      false),
  FENCE_MEMBERS_UNKNOWN(
      6051,
      "A member of the processor group has a client id that does not name its process"
          + " (kafka.client.id is set), so no open transaction is fenced: a dead instance's"
          + " transaction ends only at transaction.timeout.ms.",
      false,
      false),

  // The read API, answered 503 with Retry-After (ReadApi.status).
  DELTA_NOT_COMMITTED(
      6060,
      "A delta the document's history records is not yet readable as committed on the deltas"
          + " topic (its transaction is open, or aborted and being rolled back); retry shortly.",
      true,
      true);

  private final int code;
  private final String description;
  private final boolean retryable;
  private final boolean clientVisible;

  ErrorCode(int code, String description, boolean retryable, boolean clientVisible) {
    this.code = code;
    this.description = description;
    this.retryable = retryable;
    this.clientVisible = clientVisible;
  }

  public int code() {
    return code;
  }

  public String description() {
    return description;
  }

  /** Whether sending the same request again later can succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** Whether the code and its text may be shown to a client (otherwise it is logged only). */
  public boolean clientVisible() {
    return clientVisible;
  }

  /** True for codes that custom spaces may use in {@code reject(code, reason)}. */
  public static boolean isSpaceDefined(int code) {
    return code >= 10000 && code <= 19999;
  }

  public static Optional<ErrorCode> of(int code) {
    for (ErrorCode c : values()) {
      if (c.code == code) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
