/**
 * The contract between docstream and the logic of a space.
 *
 * <p>A space's {@link io.docstream.spaces.SpaceLogic} applies one message to one {@link
 * io.docstream.document.Document}, reading the message through a {@link
 * io.docstream.spaces.MessageContext}. The processor gives each message an {@link
 * io.docstream.spaces.Invocation}, commits the document and carries out the collected {@link
 * io.docstream.spaces.TimerRequest}s when the logic returns, and rolls everything back when it
 * throws. {@link io.docstream.spaces.SpaceRegistry} builds the configured {@link
 * io.docstream.spaces.Space}s from {@code spaces.<name>.*} properties.
 */
package io.docstream.spaces;
