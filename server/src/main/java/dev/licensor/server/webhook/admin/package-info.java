/** The admin panel's webhook pages: a product's endpoints and the delivery log. */
@NullMarked
package dev.licensor.server.webhook.admin;

import org.jspecify.annotations.NullMarked;
