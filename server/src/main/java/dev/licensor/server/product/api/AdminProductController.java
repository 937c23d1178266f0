package dev.licensor.server.product.api;

import dev.licensor.server.product.ApiKeys;
import dev.licensor.server.product.Product;
import dev.licensor.server.product.Products;
import dev.licensor.server.web.JsonFields;
import dev.licensor.server.web.PageResponse;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Products (client configuration) and their API keys. */
@RestController
@RequestMapping("/api/admin/products")
class AdminProductController {
    private final Products products;
    private final ApiKeys apiKeys;

    AdminProductController(Products products, ApiKeys apiKeys) {
        this.products = products;
        this.apiKeys = apiKeys;
    }

    @GetMapping
    PageResponse<Product> list(
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        return products.list(new PageResponse.Paging(page, size));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Product create(@RequestBody JsonNode body) {
        return products.create(body);
    }

    @GetMapping("/{id}")
    Product get(@PathVariable long id) {
        return products.get(id);
    }

    @PatchMapping("/{id}")
    Product patch(@PathVariable long id, @RequestBody JsonNode body) {
        return products.patch(id, body);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable long id) {
        products.delete(id);
    }

    @PostMapping("/{id}/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    ApiKeys.CreatedApiKey createKey(@PathVariable long id, @RequestBody(required = false) @Nullable JsonNode body) {
        if (body != null) {
            new JsonFields(body, Set.of()).validate();
        }
        return apiKeys.create(id);
    }

    @GetMapping("/{id}/api-keys")
    PageResponse<ApiKeys.ApiKeyView> keys(
            @PathVariable long id,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return apiKeys.list(id, new PageResponse.Paging(page, size));
    }

    @DeleteMapping("/{id}/api-keys/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeKey(@PathVariable long id, @PathVariable long keyId) {
        apiKeys.revoke(id, keyId);
    }
}
