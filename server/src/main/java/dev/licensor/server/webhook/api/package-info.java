/** The admin API of webhooks: endpoints per product, the delivery log, retries and test events. */
@NullMarked
package dev.licensor.server.webhook.api;

import org.jspecify.annotations.NullMarked;
