/** Wire formats shared by the Licensor server and its clients. Plain JDK, no framework. */
@NullMarked
package dev.licensor.protocol;

import org.jspecify.annotations.NullMarked;
