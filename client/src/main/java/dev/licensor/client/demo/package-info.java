/** A runnable demonstration of the SDK: {@link dev.licensor.client.demo.Demo}. */
@NullMarked
package dev.licensor.client.demo;

import org.jspecify.annotations.NullMarked;
