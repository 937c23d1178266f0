@NullMarked
package dev.licensor.server.web;

import org.jspecify.annotations.NullMarked;
