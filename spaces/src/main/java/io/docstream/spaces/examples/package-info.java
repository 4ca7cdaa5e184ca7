/**
 * The example spaces of the demo ({@code chat}, {@code todo}, {@code cards}), written as models for
 * plug-in authors: strict bodies, a coded rejection for each mistake, and growing collections kept
 * as objects keyed by id so that each message's delta follows its change.
 */
package io.docstream.spaces.examples;
