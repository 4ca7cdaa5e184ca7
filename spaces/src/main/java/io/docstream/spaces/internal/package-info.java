/** Machinery behind the spaces API (built-in logics, class loading, strict parsing); not an API. */
package io.docstream.spaces.internal;
