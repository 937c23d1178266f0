/** Panel pages for products (client configuration) and their API keys. */
@NullMarked
package dev.licensor.server.product.admin;

import org.jspecify.annotations.NullMarked;
